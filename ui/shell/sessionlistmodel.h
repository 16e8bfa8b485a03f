// SPDX-License-Identifier: MIT
#pragma once

#include "store/tracestore.h"

#include <QAbstractTableModel>

#include <string>
#include <vector>

namespace agentops::client {
class TraceSourceRunner;
}

namespace agentops::ui {

/// Sessions (conversations spanning several traces), most recently active first, loaded in pages
/// through a TraceSourceRunner like the trace list.
class SessionListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Columns {
        SessionColumn,
        LastActiveColumn,
        DurationColumn,
        TracesColumn,
        SpansColumn,
        ErrorsColumn,
        TokensColumn,
        CostColumn,
        UserColumn,
        NUM_COLUMNS
    };
    enum Roles { SessionIdRole = Qt::UserRole };

    explicit SessionListModel(client::TraceSourceRunner *runner, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    void setPageSize(int size) { m_pageSize = size; }
    /// Loads the first page again; rows stay until it arrives, then one reset.
    void reload();
    const store::SessionSummary &session(int row) const { return m_rows[static_cast<std::size_t>(row)]; }
    int rowOf(const std::string &sessionId) const;
    bool isLoading() const { return m_fetching; }

Q_SIGNALS:
    void reloaded();
    void loadFailed(const QString &message);

private:
    client::TraceSourceRunner *m_runner;
    std::vector<store::SessionSummary> m_rows;
    std::string m_nextCursor;
    int m_pageSize = 200;
    quint64 m_generation = 0;
    bool m_fetching = false;
};

} // namespace agentops::ui
