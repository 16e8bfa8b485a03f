// SPDX-License-Identifier: MIT
#include "common/focusring.h"

#include "common/theme.h"

#include <QAbstractScrollArea>
#include <QApplication>
#include <QEvent>
#include <QPainter>
#include <QWidget>

namespace agentops::ui {

namespace {

/// Paints the ring over its parent's edge; lets every click through.
class RingWidget : public QWidget
{
public:
    explicit RingWidget(QWidget *parent)
        : QWidget(parent)
    {
        setObjectName(QStringLiteral("focusRing"));
        setAttribute(Qt::WA_TransparentForMouseEvents);
        setAttribute(Qt::WA_NoSystemBackground);
        setFocusPolicy(Qt::NoFocus);
    }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter painter(this);
        // The window's palette: views retint their own highlight (the waterfall fades it for its rows).
        const QPalette pal = window()->palette();
        const QColor color
            = theme::readable(pal.color(QPalette::Active, QPalette::Highlight), pal.color(QPalette::Base), 3.0);
        const int w = FocusRing::Width;
        const QRect r = rect();
        painter.fillRect(QRect(r.left(), r.top(), r.width(), w), color);
        painter.fillRect(QRect(r.left(), r.bottom() - w + 1, r.width(), w), color);
        painter.fillRect(QRect(r.left(), r.top() + w, w, r.height() - 2 * w), color);
        painter.fillRect(QRect(r.right() - w + 1, r.top() + w, w, r.height() - 2 * w), color);
    }
};

} // namespace

FocusRing::FocusRing(QWidget *window)
    : QObject(window)
    , m_window(window)
{
    connect(qApp, &QApplication::focusChanged, this, [this](QWidget *, QWidget *now) { follow(now); });
}

void FocusRing::follow(QWidget *focus)
{
    // The scroll area the focus is in: a view, or the viewport of one.
    QWidget *target = nullptr;
    for (QWidget *w = focus; w && w != m_window; w = w->parentWidget()) {
        if (qobject_cast<QAbstractScrollArea *>(w)) {
            target = w;
            break;
        }
        if (w->isWindow())
            break;
    }
    if (target && target->window() != m_window)
        target = nullptr;
    if (target == m_target && m_ring && m_ring->isVisible())
        return;
    if (m_target)
        m_target->removeEventFilter(this);
    m_target = target;
    if (!target) {
        if (m_ring)
            m_ring->hide();
        return;
    }
    if (!m_ring)
        m_ring = new RingWidget(target);
    else if (m_ring->parentWidget() != target)
        m_ring->setParent(target);
    target->installEventFilter(this);
    m_ring->setGeometry(target->rect());
    m_ring->raise();
    m_ring->show();
}

bool FocusRing::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_target && m_ring) {
        switch (event->type()) {
        case QEvent::Resize: m_ring->setGeometry(m_target->rect()); break;
        case QEvent::ChildAdded:
        case QEvent::Show: m_ring->raise(); break;
        default: break;
        }
    }
    return QObject::eventFilter(watched, event);
}

void setTabChain(const QList<QWidget *> &widgets)
{
    QWidget *previous = nullptr;
    for (QWidget *w : widgets) {
        while (w && w->focusPolicy() == Qt::NoFocus && w->focusProxy())
            w = w->focusProxy();
        if (!w)
            continue;
        if (previous)
            QWidget::setTabOrder(previous, w);
        previous = w;
    }
}

} // namespace agentops::ui
