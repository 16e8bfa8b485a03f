// SPDX-License-Identifier: MIT
#include "attributemodel.h"

#include "chatmessages.h"
#include "core/spanjson.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPalette>
#include <QStackedLayout>
#include <QTableView>
#include <QVBoxLayout>

#include <set>

namespace agentops::ui {

namespace {

QString typeName(core::AttrValue::Type type)
{
    using T = core::AttrValue::Type;
    switch (type) {
    case T::Empty: return QStringLiteral("empty");
    case T::String: return QStringLiteral("string");
    case T::Bool: return QStringLiteral("bool");
    case T::Int: return QStringLiteral("int");
    case T::Double: return QStringLiteral("double");
    case T::Bytes: return QStringLiteral("bytes");
    case T::Json: return QStringLiteral("json");
    }
    return {};
}

QString oneLine(const std::string &text)
{
    constexpr std::size_t maxBytes = 1024;
    QString out = QString::fromUtf8(text.data(), qsizetype(std::min(text.size(), maxBytes)));
    if (text.size() > maxBytes)
        out += QChar(0x2026);
    out.replace(QLatin1Char('\n'), QChar(0x21B5));
    return out;
}

} // namespace

AttributeModel::AttributeModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void AttributeModel::setAttributes(const core::Attributes &attributes)
{
    beginResetModel();
    m_attributes = attributes;
    endResetModel();
}

int AttributeModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_attributes.size());
}

int AttributeModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : NUM_COLUMNS;
}

QVariant AttributeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_attributes.size()))
        return {};
    const core::Attribute &a = m_attributes[std::size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case KeyColumn: return QString::fromStdString(a.key);
        case ValueColumn: return oneLine(a.value.asText());
        case TypeColumn: return typeName(a.value.type);
        }
        break;
    case FullValueRole:
        return index.column() == KeyColumn ? QString::fromStdString(a.key) : QString::fromStdString(a.value.asText());
    case Qt::ToolTipRole:
        if (index.column() == ValueColumn) {
            const std::string text = a.value.asText();
            if (text.size() > 60) {
                const std::string pretty = prettyJson(std::string_view(text).substr(0, 16384));
                return QString::fromStdString(pretty).left(4096);
            }
        }
        break;
    case Qt::FontRole:
        if (index.column() == ValueColumn && a.value.type != core::AttrValue::Type::String)
            return QFontDatabase::systemFont(QFontDatabase::FixedFont);
        break;
    case Qt::ForegroundRole:
        if (index.column() == TypeColumn)
            return QApplication::palette().color(QPalette::PlaceholderText);
        break;
    default: break;
    }
    return {};
}

QVariant AttributeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case KeyColumn: return tr("Key");
    case ValueColumn: return tr("Value");
    case TypeColumn: return tr("Type");
    }
    return {};
}

AttributeFilterProxy::AttributeFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setFilterCaseSensitivity(Qt::CaseInsensitive);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void AttributeFilterProxy::setFilterText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    invalidateFilter();
}

bool AttributeFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QString &needle = m_text;
    if (needle.isEmpty())
        return true;
    const QAbstractItemModel *m = sourceModel();
    for (int c : { int(AttributeModel::KeyColumn), int(AttributeModel::ValueColumn) }) {
        const QString text = m->index(sourceRow, c, sourceParent).data(AttributeModel::FullValueRole).toString();
        if (text.contains(needle, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

AttributeTable::AttributeTable(QWidget *parent)
    : QWidget(parent)
    , m_model(new AttributeModel(this))
    , m_proxy(new AttributeFilterProxy(this))
    , m_filter(new QLineEdit(this))
    , m_view(new QTableView(this))
    , m_empty(new QLabel(this))
{
    m_proxy->setSourceModel(m_model);
    m_filter->setPlaceholderText(tr("Filter by key or value"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) { m_proxy->setFilterText(text); });

    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(-1, Qt::AscendingOrder); // keep the producer's order until a header is clicked
    m_view->setSelectionBehavior(QAbstractItemView::SelectItems);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setTabKeyNavigation(false); // Tab leaves the table, arrows move within it
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->setAlternatingRowColors(true);
    m_view->setShowGrid(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setHighlightSections(false);
    m_view->horizontalHeader()->setSectionResizeMode(AttributeModel::KeyColumn, QHeaderView::Interactive);
    m_view->horizontalHeader()->setSectionResizeMode(AttributeModel::ValueColumn, QHeaderView::Stretch);
    m_view->horizontalHeader()->setSectionResizeMode(AttributeModel::TypeColumn, QHeaderView::ResizeToContents);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->installEventFilter(this);
    connect(m_view, &QWidget::customContextMenuRequested, this, &AttributeTable::showContextMenu);

    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_empty->setText(tr("No attributes"));
    m_empty->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->setSpacing(6);
    layout->addWidget(m_filter);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_empty, 1);
}

void AttributeTable::setAttributes(const core::Attributes &attributes)
{
    m_model->setAttributes(attributes);
    const bool empty = attributes.empty();
    m_view->setVisible(!empty);
    m_filter->setVisible(!empty);
    m_empty->setVisible(empty);
    if (!empty) {
        m_view->resizeColumnToContents(AttributeModel::KeyColumn);
        m_view->setColumnWidth(
            AttributeModel::KeyColumn, std::min(m_view->columnWidth(AttributeModel::KeyColumn), 320));
    }
}

void AttributeTable::setPlaceholder(const QString &text)
{
    m_empty->setText(text);
}

QString AttributeTable::selectionText() const
{
    const QModelIndexList selected
        = m_view->selectionModel() ? m_view->selectionModel()->selectedIndexes() : QModelIndexList();
    if (selected.isEmpty()) {
        const QModelIndex current = m_view->currentIndex();
        return current.isValid() ? current.data(AttributeModel::FullValueRole).toString() : QString();
    }
    if (selected.size() == 1)
        return selected.first().data(AttributeModel::FullValueRole).toString();
    std::set<int> rows;
    for (const QModelIndex &i : selected)
        rows.insert(i.row());
    QStringList lines;
    for (int row : rows) {
        lines << m_proxy->index(row, AttributeModel::KeyColumn).data(AttributeModel::FullValueRole).toString()
                + QLatin1Char('\t')
                + m_proxy->index(row, AttributeModel::ValueColumn).data(AttributeModel::FullValueRole).toString();
    }
    return lines.join(QLatin1Char('\n'));
}

QString AttributeTable::allAsJson() const
{
    return QString::fromStdString(prettyJson(core::attributesToJson(m_model->attributes())));
}

bool AttributeTable::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view && event->type() == QEvent::KeyPress
        && static_cast<QKeyEvent *>(event)->matches(QKeySequence::Copy)) {
        QApplication::clipboard()->setText(selectionText());
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void AttributeTable::showContextMenu(const QPoint &pos)
{
    const QModelIndex index = m_view->indexAt(pos);
    QMenu menu(this);
    if (index.isValid()) {
        const QString key
            = index.siblingAtColumn(AttributeModel::KeyColumn).data(AttributeModel::FullValueRole).toString();
        const QString value
            = index.siblingAtColumn(AttributeModel::ValueColumn).data(AttributeModel::FullValueRole).toString();
        connect(menu.addAction(tr("Copy Value")), &QAction::triggered, this,
            [value] { QApplication::clipboard()->setText(value); });
        connect(menu.addAction(tr("Copy Key")), &QAction::triggered, this,
            [key] { QApplication::clipboard()->setText(key); });
        menu.addSeparator();
    }
    connect(menu.addAction(tr("Copy All as JSON")), &QAction::triggered, this,
        [this] { QApplication::clipboard()->setText(allAsJson()); });
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

} // namespace agentops::ui
