// SPDX-License-Identifier: MIT
#include "elidedtextview.h"

#include "detailsformat.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace agentops::ui {

ElidedTextView::ElidedTextView(QWidget *parent)
    : QWidget(parent)
    , m_edit(new QPlainTextEdit(this))
    , m_bar(new QWidget(this))
    , m_barLabel(new QLabel(m_bar))
    , m_showAll(new QPushButton(m_bar))
{
    m_edit->setReadOnly(true);
    m_edit->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_edit->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_edit->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);

    m_barLabel->setForegroundRole(QPalette::PlaceholderText);
    m_barLabel->setWordWrap(true);
    auto *barLayout = new QHBoxLayout(m_bar);
    barLayout->setContentsMargins(0, 4, 0, 0);
    barLayout->addWidget(m_barLabel, 1);
    barLayout->addWidget(m_showAll);
    m_bar->hide();
    connect(m_showAll, &QPushButton::clicked, this, &ElidedTextView::showAll);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_bar);
}

void ElidedTextView::setText(const QString &text, bool monospace)
{
    m_full = text;
    m_edit->setFont(monospace ? QFontDatabase::systemFont(QFontDatabase::FixedFont) : font());
    // Cut at a character count that is at most kElideBytes of UTF-8 for ASCII and less otherwise:
    // the point is a bounded layout cost, not an exact byte count.
    m_elided = text.size() > kElideBytes;
    if (m_elided) {
        m_edit->setPlainText(text.left(kElideBytes));
        const qint64 bytes = text.toUtf8().size();
        m_barLabel->setText(
            tr("Showing the first %1 of %2.").arg(details::formatBytes(kElideBytes), details::formatBytes(bytes)));
        m_showAll->setText(tr("Show all (%1)").arg(details::formatBytes(bytes)));
        m_bar->show();
    } else {
        m_edit->setPlainText(text);
        m_bar->hide();
    }
}

void ElidedTextView::showAll()
{
    if (!m_elided)
        return;
    m_elided = false;
    m_bar->hide();
    m_edit->setPlainText(m_full);
}

} // namespace agentops::ui
