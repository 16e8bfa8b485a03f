// SPDX-License-Identifier: MIT
#include "compare/comparependingbar.h"

#include <QAction>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QPushButton>

namespace agentops::ui {

ComparePendingBar::ComparePendingBar(QWidget *parent)
    : QFrame(parent)
    , m_label(new QLabel(this))
    , m_compare(new QPushButton(tr("Compare"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_cancelAction(new QAction(tr("Cancel the comparison"), this))
{
    setObjectName(QStringLiteral("comparePending"));
    setAccessibleName(tr("Comparison in progress"));
    // The colours of the trace list's import notice: a note about what the list is for just now.
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::ToolTipBase);
    setForegroundRole(QPalette::ToolTipText);
    m_label->setWordWrap(true);
    m_label->setTextFormat(Qt::PlainText);
    m_compare->setObjectName(QStringLiteral("comparePendingCompare"));
    m_compare->setToolTip(tr("Compare run A with the trace selected now (Ctrl+D)"));
    m_cancel->setObjectName(QStringLiteral("comparePendingCancel"));
    m_cancel->setToolTip(tr("Forget run A (Esc)"));
    m_cancelAction->setObjectName(QStringLiteral("comparePendingCancelAction"));
    m_cancelAction->setShortcut(QKeySequence(Qt::Key_Escape));
    m_cancelAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(m_cancelAction);
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(10, 4, 4, 4);
    row->addWidget(m_label, 1);
    row->addWidget(m_compare);
    row->addWidget(m_cancel);
    connect(m_compare, &QPushButton::clicked, this, &ComparePendingBar::compareRequested);
    connect(m_cancel, &QPushButton::clicked, this, &ComparePendingBar::cancelRequested);
    connect(m_cancelAction, &QAction::triggered, this, &ComparePendingBar::cancelRequested);
    clear();
}

void ComparePendingBar::showRun(const QString &run, const QString &sourceName)
{
    m_label->setText(tr("Comparing with %1 from %2 — select run B, in any list and from any source, and press "
                        "Ctrl+D or Compare")
                         .arg(run, sourceName));
    m_cancelAction->setEnabled(true);
    show();
}

void ComparePendingBar::clear()
{
    // Escape is the pages' own again.
    m_cancelAction->setEnabled(false);
    hide();
}

QString ComparePendingBar::text() const
{
    return isHidden() ? QString() : m_label->text();
}

} // namespace agentops::ui
