// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QObject>
#include <QPointer>

class QWidget;

namespace agentops::ui {

/// A ring in the highlight colour around the list, table, tree or text view of a window that has
/// the keyboard focus. Item views mark their current row, but not whether the keyboard is in them,
/// and styles (Fusion among them) draw no frame around a focused view: with the ring, Tab shows
/// where it went. One per window; it follows the focus.
class FocusRing : public QObject
{
    Q_OBJECT

public:
    explicit FocusRing(QWidget *window);

    /// The view the ring is around, nullptr while the focus is elsewhere (or on a small control,
    /// which the style marks itself).
    QWidget *target() const { return m_target; }
    /// The widget that paints the ring (a child of target()), for tests.
    QWidget *ring() const { return m_ring; }
    /// Ring width in pixels.
    static constexpr int Width = 2;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void follow(QWidget *focus);

    QWidget *m_window;
    QPointer<QWidget> m_target;
    QPointer<QWidget> m_ring;
};

/// Makes Tab visit @p widgets in this order (QWidget::setTabOrder for each pair). A widget that takes
/// no focus itself stands for its focus proxy (a combo box inside a composite control); null
/// entries are skipped, so optional parts of a page can be listed as they are.
void setTabChain(const QList<QWidget *> &widgets);

} // namespace agentops::ui
