// SPDX-License-Identifier: MIT
#pragma once

#include "core/span.h"
#include "store/tracestore.h"

#include <QAbstractTableModel>
#include <QStringList>

#include <map>

#include <optional>
#include <set>
#include <vector>

namespace agentops::client {
class TraceSourceRunner;
}

namespace agentops::ui {

/// Trace summaries as table rows (start, name, service, duration, counts, tokens, cost, models,
/// session), formatted for reading: right-aligned numbers, human durations, error rows marked.
/// Holds whatever rows it is given; TraceListModel fills it page by page from a TraceSource.
class TraceTableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Columns {
        StartColumn,
        NameColumn,
        ServiceColumn,
        DurationColumn,
        SpansColumn,
        ErrorsColumn,
        TokensColumn,
        CostColumn,
        ModelsColumn,
        SessionColumn,
        MatchColumn, ///< where a content search matched (shown while there is one)
        NUM_COLUMNS
    };
    enum Roles {
        TraceIdRole = Qt::UserRole, ///< hex trace id (QString)
        HasErrorsRole, ///< bool
        StartNsRole, ///< qint64
        MatchSpanRole, ///< hex id of the span a content search matched (QString; empty: none)
        MatchHighlightsRole, ///< the matched parts of the MatchColumn text: QList<QPoint> of [x, y) in QChars
    };

    explicit TraceTableModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Replaces every row (a model reset).
    void setTraces(std::vector<core::TraceSummary> traces);
    const core::TraceSummary &trace(int row) const { return m_rows[static_cast<std::size_t>(row)]; }
    /// Row of the trace, or -1.
    int rowOf(const core::TraceId &id) const;
    /// Where a content search matched the traces of a page (TracePage::hits), remembered by trace.
    void noteHits(const std::vector<core::TraceSummary> &traces, const std::vector<store::SearchHit> &hits);

protected:
    std::map<core::TraceId, store::SearchHit> m_hits;
    std::vector<core::TraceSummary> m_rows;
};

/// The trace list: a TraceTableModel that loads lazily in pages of pageSize() through a
/// TraceSourceRunner (cursor paging, so a million stored traces cost one page until the user
/// scrolls), sorts on the server, and takes in new traces live without a reset (refreshNewer()),
/// so selections and scroll positions survive.
class TraceListModel : public TraceTableModel
{
    Q_OBJECT

public:
    explicit TraceListModel(client::TraceSourceRunner *runner, QObject *parent = nullptr);

    /// The filter part of the query (sort, limit and cursor are the model's); reloads.
    void setFilter(const store::TraceQuery &filter);
    store::TraceQuery filter() const { return m_filter; }
    /// Loads the first page again; rows stay until it arrives, then one reset.
    void reload();
    /// Shows no rows and loads none (a query that cannot be asked); setFilter() loads again.
    void clearRows();
    /// Fetches the newest traces and inserts the ones not shown yet at their place (new ones at
    /// the top while sorted by start time, newest first) and updates rows that changed.
    void refreshNewer();

    void setPageSize(int size) { m_pageSize = size; }
    int pageSize() const { return m_pageSize; }

    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    /// Server-side sort; columns without a TraceSort are ignored.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    static std::optional<store::TraceSort> sortForColumn(int column);
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_descending ? Qt::DescendingOrder : Qt::AscendingOrder; }

    bool isLoading() const { return m_loading; }
    /// More pages are stored than loaded.
    bool hasMore() const { return !m_nextCursor.empty(); }
    /// Services and models seen in the loaded traces (for the filter bar's choices).
    QStringList knownServices() const { return { m_services.begin(), m_services.end() }; }
    QStringList knownModels() const { return { m_models.begin(), m_models.end() }; }

Q_SIGNALS:
    void loadingChanged(bool loading);
    /// A reload's first page is in (the model was reset).
    void reloaded();
    /// Rows were added by fetchMore or refreshNewer.
    void rowsAdded();
    void knownValuesChanged();
    void loadFailed(const QString &message);

private:
    store::TraceQuery pageQuery() const;
    void setLoading(bool loading);
    void noteValues(const std::vector<core::TraceSummary> &traces);
    void applyRefresh(std::vector<core::TraceSummary> page);
    void insertRowsAt(int row, std::vector<core::TraceSummary> traces);

    client::TraceSourceRunner *m_runner;
    store::TraceQuery m_filter;
    int m_sortColumn = StartColumn;
    bool m_descending = true;
    int m_pageSize = 200;
    std::string m_nextCursor;
    std::set<core::TraceId> m_ids;
    std::set<QString> m_services;
    std::set<QString> m_models;
    quint64 m_generation = 0;
    bool m_loading = false;
    bool m_fetching = false;
    bool m_refreshing = false;
    bool m_refreshAgain = false;
};

} // namespace agentops::ui
