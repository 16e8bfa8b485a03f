// SPDX-License-Identifier: MIT
#include "shell/shortcutsdialog.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QScreen>
#include <QShortcut>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <set>

namespace agentops::ui {

namespace {

QString plainText(QString text)
{
    // "&Open Trace File…" → "Open Trace File"
    text.remove(QLatin1Char('&'));
    if (text.endsWith(QChar(0x2026)))
        text.chop(1);
    else if (text.endsWith(QLatin1String("...")))
        text.chop(3);
    return text.trimmed();
}

/// The accessible name of the nearest page around @p object; the window's title when none.
QString sectionOf(const QObject *object, QWidget *window)
{
    for (const QObject *o = object; o && o != window; o = o->parent())
        if (const auto *w = qobject_cast<const QWidget *>(o); w && !w->accessibleName().isEmpty())
            return w->accessibleName();
    return ShortcutsDialog::tr("Window");
}

void addMenu(
    QList<ShortcutsDialog::Entry> &entries, std::set<const QObject *> &seen, QMenu *menu, const QString &section)
{
    const auto actions = menu->actions();
    for (QAction *action : actions) {
        if (action->menu()) {
            addMenu(entries, seen, action->menu(), section);
            continue;
        }
        seen.insert(action);
        if (!action->shortcuts().isEmpty() && !action->isSeparator())
            entries.append({ section, plainText(action->text()), action->shortcuts(), action });
    }
}

} // namespace

QList<ShortcutsDialog::Entry> ShortcutsDialog::collect(QWidget *window)
{
    QList<Entry> entries;
    std::set<const QObject *> seen;
    if (auto *main = qobject_cast<QMainWindow *>(window)) {
        const auto menus = main->menuBar()->actions();
        for (QAction *menuAction : menus)
            if (menuAction->menu())
                addMenu(entries, seen, menuAction->menu(), plainText(menuAction->text()));
    }
    // Actions and shortcuts that live on the pages (Back, Search spans, …).
    QList<Entry> pages;
    const auto actions = window->findChildren<QAction *>();
    for (QAction *action : actions) {
        if (seen.count(action) || action->shortcuts().isEmpty() || action->menu())
            continue;
        pages.append({ sectionOf(action->parent(), window), plainText(action->text()), action->shortcuts(), action });
    }
    const auto shortcuts = window->findChildren<QShortcut *>();
    for (QShortcut *shortcut : shortcuts) {
        if (shortcut->keys().isEmpty() || !shortcut->isEnabled())
            continue;
        const QString text = shortcut->whatsThis().isEmpty() ? shortcut->key().toString(QKeySequence::NativeText)
                                                             : shortcut->whatsThis();
        pages.append({ sectionOf(shortcut->parent(), window), text, shortcut->keys(), shortcut });
    }
    // Pages in a stable order: by section, the order of creation within one.
    std::stable_sort(pages.begin(), pages.end(), [](const Entry &a, const Entry &b) { return a.section < b.section; });
    entries += pages;
    return entries;
}

ShortcutsDialog::ShortcutsDialog(QWidget *window, QWidget *parent)
    : QDialog(parent)
    , m_view(new QTreeWidget(this))
{
    setObjectName(QStringLiteral("shortcutsDialog"));
    setWindowTitle(tr("Keyboard Shortcuts"));
    m_view->setObjectName(QStringLiteral("shortcutsView"));
    m_view->setColumnCount(2);
    m_view->setHeaderLabels({ tr("Action"), tr("Keys") });
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setSelectionMode(QAbstractItemView::NoSelection);
    m_view->setFocusPolicy(Qt::StrongFocus);

    QTreeWidgetItem *section = nullptr;
    const auto entries = collect(window);
    for (const Entry &entry : entries) {
        if (!section || section->text(0) != entry.section) {
            section = new QTreeWidgetItem(m_view, { entry.section });
            QFont bold = section->font(0);
            bold.setBold(true);
            section->setFont(0, bold);
            section->setFirstColumnSpanned(true);
            section->setFlags(Qt::ItemIsEnabled);
        }
        QStringList keys;
        for (const QKeySequence &key : entry.keys)
            keys << key.toString(QKeySequence::NativeText);
        auto *item = new QTreeWidgetItem(section, { entry.description, keys.join(QStringLiteral(", ")) });
        item->setFlags(Qt::ItemIsEnabled);
    }
    m_view->expandAll();
    m_view->resizeColumnToContents(0);
    m_view->resizeColumnToContents(1);
    m_view->header()->setStretchLastSection(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_view, 1);
    layout->addWidget(buttons);

    // Every row and both columns in view where the screen allows.
    const int em = fontMetrics().horizontalAdvance(QLatin1Char('M'));
    const QRect screen = this->screen() ? this->screen()->availableGeometry() : QRect(0, 0, 1280, 720);
    int rows = 0;
    for (int i = 0; i < m_view->topLevelItemCount(); ++i)
        rows += 1 + m_view->topLevelItem(i)->childCount();
    const int rowHeight = std::max(m_view->sizeHintForRow(0), fontMetrics().height() + 4);
    const int width = m_view->columnWidth(0) + m_view->columnWidth(1) + m_view->indentation() + 6 * em;
    const int height = m_view->header()->sizeHint().height() + rows * rowHeight + 6 * em;
    resize(std::min(std::max(width, 30 * em), screen.width() * 9 / 10),
        std::min(std::max(height, 20 * em), screen.height() * 9 / 10));
}

} // namespace agentops::ui
