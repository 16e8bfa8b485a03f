// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractItemModel>

#include <memory>
#include <string>
#include <string_view>

class QTreeView;

namespace agentops::ui {

/// A parsed JSON document, immutable once built, so it can be parsed on a worker thread and shown
/// by a model on the GUI thread.
class JsonDocument
{
public:
    /// nullptr (and the reason in error) when the text is not JSON.
    static std::shared_ptr<const JsonDocument> parse(std::string_view text, std::string *error = nullptr);
    ~JsonDocument();

    struct Data;
    const Data &data() const { return *m_data; }

private:
    JsonDocument();
    std::unique_ptr<Data> m_data;
};

/// Key / value / type tree over a JSON document. Tree nodes are created only when a view asks for
/// them (index() of a row it shows), so a document with a million array elements costs a vector of
/// empty slots until it is scrolled through.
class JsonTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Columns { KeyColumn, ValueColumn, TypeColumn, NUM_COLUMNS };
    enum Roles { JsonTextRole = Qt::UserRole }; ///< the node as compact JSON text (strings unquoted)

    explicit JsonTreeModel(QObject *parent = nullptr);
    ~JsonTreeModel() override;

    void setDocument(std::shared_ptr<const JsonDocument> document);
    std::shared_ptr<const JsonDocument> document() const { return m_document; }
    void clear() { setDocument(nullptr); }

    /// Expands the first levels of the tree in view (a bounded number of nodes per level).
    static void expandDefault(QTreeView *view, int depth = 2);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

private:
    struct Node;
    Node *nodeOf(const QModelIndex &index) const;

    std::shared_ptr<const JsonDocument> m_document;
    std::unique_ptr<Node> m_root;
};

} // namespace agentops::ui
