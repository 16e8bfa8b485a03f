// SPDX-License-Identifier: MIT
#pragma once

#include "core/span.h"

#include <QWidget>

#include <cstdint>
#include <optional>
#include <vector>

class QLabel;
class QPushButton;
class QSettings;

namespace agentops::client {
class TraceSourceRunner;
}

namespace agentops::ui {

class TraceFilterBar;
class TraceListModel;
class TraceTableView;

/// The Traces page: the filter bar over the lazily paged trace table. Keeps the selection across
/// reloads (by trace id) and live insertions (persistent indexes). An empty list says why: nothing
/// stored yet, or nothing that matches the filters (with a way to clear them); traces just imported
/// that the time range hides are named in a notice that shows them.
class TraceListPage : public QWidget
{
    Q_OBJECT

public:
    explicit TraceListPage(client::TraceSourceRunner *runner, QWidget *parent = nullptr);

    TraceListModel *model() const { return m_model; }
    TraceTableView *view() const { return m_view; }
    TraceFilterBar *filterBar() const { return m_filterBar; }

    std::optional<core::TraceId> currentTraceId() const;
    std::vector<core::TraceId> selectedTraceIds() const;
    /// Selects the trace if it is loaded; false otherwise.
    bool selectTrace(const core::TraceId &id);

    /// Lists the traces that started in [from_ns, to_ns), of one service or model when given, with
    /// every other filter cleared.
    void showTimeRange(
        std::int64_t from_ns, std::int64_t to_ns, const QString &service = {}, const QString &model = {});

    /// Reloads from the first page with the current filters (F5), keeping the selection.
    void refresh();
    /// Live update: inserts traces that arrived since the last look.
    void refreshNewer();

    /// Shown over the table while it has no rows, nothing is loading and no filter narrows it.
    void setEmptyText(const QString &text);
    /// True while the table is empty because of the filters (the "no traces match" state).
    bool isShowingNoMatch() const;
    /// The text over the empty table, or empty when the table is not empty.
    QString emptyStateText() const;

    /// Traces just imported, by their start: when the time range hides some of them, a notice says
    /// how many, with a button that shows all time.
    void noteImported(const std::vector<std::int64_t> &traceStarts);
    /// The notice's text; empty while it is hidden.
    QString importNoticeText() const;

    void saveState(QSettings &settings) const;
    void restoreState(const QSettings &settings);

Q_SIGNALS:
    void traceActivated(const core::TraceId &id);
    /// A row a content search matched was opened: the span it matched in.
    void spanActivated(const core::TraceId &id, const core::SpanId &span);
    /// The number of rows, or whether more are stored, changed.
    void countChanged();

protected:
    void changeEvent(QEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void applyFilter();
    void restoreSelection();
    void updateEmptyState();
    void updateImportNotice();
    QWidget *createImportNotice();

    TraceListModel *m_model;
    TraceFilterBar *m_filterBar;
    TraceTableView *m_view;
    QWidget *m_empty;
    QLabel *m_emptyLabel;
    QPushButton *m_clearFilters;
    QString m_emptyText;
    QString m_searchError; ///< why the search cannot be asked; the list is empty meanwhile
    QWidget *m_importNotice = nullptr;
    QLabel *m_importLabel = nullptr;
    std::vector<std::int64_t> m_imported;
    std::vector<core::TraceId> m_reselect;
    std::optional<core::TraceId> m_recurrent;
};

} // namespace agentops::ui
