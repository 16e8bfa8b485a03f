// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>
#include <QKeySequence>
#include <QList>
#include <QString>

class QTreeWidget;

namespace agentops::ui {

/// Help ▸ Keyboard Shortcuts: every shortcut of a window, read from the objects that implement them
/// (the actions of its menus and widgets, and its QShortcut objects), so the list cannot say what
/// the code does not do. A shortcut is described by its action's text, or a QShortcut by its
/// whatsThis; it is listed under its menu, or under the accessible name of the page it belongs to.
class ShortcutsDialog : public QDialog
{
    Q_OBJECT

public:
    struct Entry
    {
        QString section; ///< "File", "View", "Trace", …
        QString description; ///< "Open Trace File", "Back", …
        QList<QKeySequence> keys;
        const QObject *source = nullptr; ///< the QAction or QShortcut
    };

    explicit ShortcutsDialog(QWidget *window, QWidget *parent = nullptr);

    /// Every enabled shortcut of @p window, menus first (in menu-bar order), then the pages'.
    static QList<Entry> collect(QWidget *window);

    QTreeWidget *view() const { return m_view; }

private:
    QTreeWidget *m_view;
};

} // namespace agentops::ui
