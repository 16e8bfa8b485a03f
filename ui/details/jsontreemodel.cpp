// SPDX-License-Identifier: MIT
#include "jsontreemodel.h"

#include <QFontDatabase>
#include <QGuiApplication>
#include <QPalette>
#include <QTreeView>

#include <nlohmann/json.hpp>

#include <vector>

namespace agentops::ui {

using json = nlohmann::ordered_json;

struct JsonDocument::Data
{
    json root;
};

JsonDocument::JsonDocument()
    : m_data(std::make_unique<Data>())
{ }

JsonDocument::~JsonDocument() = default;

std::shared_ptr<const JsonDocument> JsonDocument::parse(std::string_view text, std::string *error)
{
    // Bound the nesting before handing the text to a recursive parser.
    std::size_t depth = 0;
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '{' || c == '[') {
            if (++depth > 512) {
                if (error)
                    *error = "nested too deeply";
                return nullptr;
            }
        } else if ((c == '}' || c == ']') && depth > 0) {
            --depth;
        }
    }
    std::shared_ptr<JsonDocument> doc(new JsonDocument);
    try {
        doc->m_data->root = json::parse(text);
    } catch (const json::exception &e) {
        if (error)
            *error = e.what();
        return nullptr;
    }
    return doc;
}

struct JsonTreeModel::Node
{
    const json *value = nullptr;
    QString key;
    Node *parent = nullptr;
    int row = 0;
    bool scalarRoot = false; ///< the root of a document that is one value
    std::vector<std::unique_ptr<Node>> children; ///< slots for every child, filled on first access

    int childCount() const
    {
        if (!value)
            return 0;
        if (scalarRoot)
            return 1;
        return value->is_object() || value->is_array() ? int(std::min<std::size_t>(value->size(), INT_MAX)) : 0;
    }

    Node *child(int i)
    {
        if (children.empty())
            children.resize(std::size_t(childCount()));
        auto &slot = children[std::size_t(i)];
        if (slot)
            return slot.get();
        slot = std::make_unique<Node>();
        slot->parent = this;
        slot->row = i;
        if (scalarRoot) {
            slot->value = value;
            slot->key = JsonTreeModel::tr("(value)");
        } else if (value->is_array()) {
            slot->value = &(*value)[std::size_t(i)];
            slot->key = QLatin1Char('[') + QString::number(i) + QLatin1Char(']');
        } else {
            // ordered_json keeps members in a vector: index into it rather than walking from the start.
            const auto &member = *(value->get_ref<const json::object_t &>().begin() + i);
            slot->value = &member.second;
            slot->key = QString::fromStdString(member.first);
        }
        return slot.get();
    }
};

namespace {

QString typeName(const json &v)
{
    switch (v.type()) {
    case json::value_t::object: return QStringLiteral("object");
    case json::value_t::array: return QStringLiteral("array");
    case json::value_t::string: return QStringLiteral("string");
    case json::value_t::boolean: return QStringLiteral("boolean");
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return QStringLiteral("integer");
    case json::value_t::number_float: return QStringLiteral("number");
    case json::value_t::null: return QStringLiteral("null");
    default: break;
    }
    return QString();
}

QString fullText(const json &v)
{
    if (v.is_string())
        return QString::fromStdString(v.get_ref<const std::string &>());
    return QString::fromStdString(v.dump(-1, ' ', false, json::error_handler_t::replace));
}

/// One line, short enough for a cell: long strings are cut, line breaks shown as a symbol.
QString preview(const json &v)
{
    constexpr qsizetype maxChars = 300;
    if (v.is_object())
        return v.size() == 1 ? JsonTreeModel::tr("{1 key}") : JsonTreeModel::tr("{%1 keys}").arg(v.size());
    if (v.is_array())
        return v.size() == 1 ? JsonTreeModel::tr("[1 item]") : JsonTreeModel::tr("[%1 items]").arg(v.size());
    if (v.is_string()) {
        const auto &s = v.get_ref<const std::string &>();
        QString text = QString::fromUtf8(s.data(), qsizetype(std::min<std::size_t>(s.size(), maxChars * 4)));
        if (text.size() > maxChars || s.size() > std::size_t(maxChars) * 4)
            text = text.left(maxChars) + QChar(0x2026);
        text.replace(QLatin1Char('\n'), QChar(0x21B5));
        return text;
    }
    return fullText(v);
}

} // namespace

JsonTreeModel::JsonTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_root(std::make_unique<Node>())
{ }

JsonTreeModel::~JsonTreeModel() = default;

void JsonTreeModel::setDocument(std::shared_ptr<const JsonDocument> document)
{
    beginResetModel();
    m_document = std::move(document);
    m_root = std::make_unique<Node>();
    m_root->value = m_document ? &m_document->data().root : nullptr;
    m_root->scalarRoot = m_root->value && !m_root->value->is_object() && !m_root->value->is_array();
    endResetModel();
}

JsonTreeModel::Node *JsonTreeModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

QModelIndex JsonTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= NUM_COLUMNS || parent.column() > 0)
        return {};
    Node *p = nodeOf(parent);
    if (!p || row >= p->childCount())
        return {};
    return createIndex(row, column, p->child(row));
}

QModelIndex JsonTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    const Node *n = nodeOf(child);
    if (!n->parent || n->parent == m_root.get())
        return {};
    return createIndex(n->parent->row, 0, n->parent);
}

int JsonTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return 0;
    return nodeOf(parent)->childCount();
}

int JsonTreeModel::columnCount(const QModelIndex &) const
{
    return NUM_COLUMNS;
}

bool JsonTreeModel::hasChildren(const QModelIndex &parent) const
{
    return rowCount(parent) > 0;
}

QVariant JsonTreeModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const Node *n = nodeOf(index);
    const json &v = *n->value;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case KeyColumn: return n->key;
        case ValueColumn: return preview(v);
        case TypeColumn: return typeName(v);
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == ValueColumn && v.is_string() && v.get_ref<const std::string &>().size() > 80)
            return fullText(v).left(4096);
        break;
    case JsonTextRole: return fullText(v);
    case Qt::FontRole:
        if (index.column() == ValueColumn)
            return QFontDatabase::systemFont(QFontDatabase::FixedFont);
        break;
    case Qt::ForegroundRole: {
        const QPalette pal = QGuiApplication::palette();
        if (index.column() == TypeColumn)
            return pal.color(QPalette::PlaceholderText);
        if (index.column() == ValueColumn) {
            if (v.is_object() || v.is_array() || v.is_null())
                return pal.color(QPalette::PlaceholderText);
            if (v.is_number() || v.is_boolean())
                return pal.color(QPalette::Link);
        }
        break;
    }
    default: break;
    }
    return {};
}

QVariant JsonTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
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

Qt::ItemFlags JsonTreeModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (!hasChildren(index.siblingAtColumn(0)))
        f |= Qt::ItemNeverHasChildren;
    return f;
}

void JsonTreeModel::expandDefault(QTreeView *view, int depth)
{
    // Expanding everything at depth 2 of a huge array would create every node: a few per level suffice.
    constexpr int maxPerLevel = 50;
    QAbstractItemModel *model = view->model();
    std::vector<QModelIndex> level { QModelIndex() };
    // Level 0 is the invisible root; levels 1..depth are expanded.
    for (int d = 0; d <= depth && !level.empty(); ++d) {
        std::vector<QModelIndex> next;
        for (const QModelIndex &parent : level) {
            if (parent.isValid())
                view->expand(parent);
            if (d == depth)
                continue;
            const int rows = std::min(model->rowCount(parent), maxPerLevel);
            for (int r = 0; r < rows; ++r) {
                const QModelIndex child = model->index(r, 0, parent);
                if (model->hasChildren(child))
                    next.push_back(child);
            }
        }
        level = std::move(next);
    }
}

} // namespace agentops::ui
