// SPDX-License-Identifier: MIT
#pragma once

#include "dashboard/metricsseries.h"
#include "store/metrics.h"

#include <QHash>
#include <QWidget>

#include <array>
#include <cstdint>
#include <optional>

class QAbstractAxis;
class QAbstractItemModel;
class QChart;
class QComboBox;
class QValueAxis;
class QLabel;
class QScrollArea;
class QStackedWidget;
class QTableView;

namespace agentops::ui {

class DashboardChartView;
class ErrorGroupModel;
class KpiTile;
class TraceRankModel;

/// Renders one metrics answer: KPI tiles, time charts (traces with error rate, tokens, cost by
/// group, latency percentiles), cost by group, and the top failing spans, slowest and costliest
/// traces. Pure rendering, no store: the Dashboard page feeds it, tests call setResult directly.
class DashboardView : public QWidget
{
    Q_OBJECT

public:
    enum Chart { TracesChart, TokensChart, CostChart, LatencyChart, CostByGroupChart, NUM_CHARTS };
    enum Kpi { TracesKpi, ErrorRateKpi, TokensKpi, CostKpi, LatencyKpi, NUM_KPIS };
    enum class Latency { Traces, LlmCalls };

    explicit DashboardView(QWidget *parent = nullptr);

    /// Shows result, the answer to query. When the query is grouped, cost is split by its groups;
    /// overall, when given, is the same range ungrouped and supplies the trace counts and latency
    /// percentiles, which cannot be added up across groups.
    void setResult(const store::MetricsResult &result, const store::MetricsQuery &query,
        const std::optional<store::MetricsResult> &overall = std::nullopt);
    /// Replaces the charts with a message (the source cannot answer, a query failed).
    void showMessage(const QString &title, const QString &detail);
    /// What the empty state suggests doing (rich text), e.g. where to send traces.
    void setEmptyHint(const QString &hint);

    void setLatency(Latency latency);
    Latency latency() const;

    bool isEmptyStateShown() const;
    QString emptyStateText() const;

    DashboardChartView *chartView(Chart chart) const { return m_charts[chart]; }
    QChart *chart(Chart chart) const;
    KpiTile *kpi(Kpi kpi) const { return m_kpis[kpi]; }
    ErrorGroupModel *errorModel() const { return m_errors; }
    TraceRankModel *slowestModel() const { return m_slowest; }
    TraceRankModel *costliestModel() const { return m_costliest; }
    QTableView *errorTable() const { return m_errorTable; }
    /// What Tab visits, in reading order: the scrolling page, the latency choice, the three lists.
    QList<QWidget *> tabStops() const;
    QTableView *slowestTable() const { return m_slowestTable; }
    QTableView *costliestTable() const { return m_costliestTable; }
    /// The scrolled content (all cards), for rendering the whole dashboard at once.
    QWidget *content() const;
    const dashboard::MetricsSeries &series() const { return m_series; }

    /// The colour a group gets in every chart; stays the same across refreshes.
    QColor groupColor(const QString &group);

    /// What a click on a bucket of a chart does (public so it can be triggered without a mouse).
    void activateBucket(Chart chart, int bucket, const QString &group);

Q_SIGNALS:
    void traceRequested(const core::TraceId &id);
    /// A bucket (or, for the cost by group chart, the whole range of one group) was clicked.
    void bucketActivated(std::int64_t from_ns, std::int64_t to_ns, const QString &group);

protected:
    void changeEvent(QEvent *event) override;

private:
    QWidget *card(const QString &title, QWidget *body, QLabel **titleLabel = nullptr, QWidget *extra = nullptr);
    QTableView *makeTable(QAbstractItemModel *model, int stretchColumn);
    void render();
    void renderKpis();
    void renderTraces();
    void renderTokens();
    void renderCost();
    void renderLatency();
    void renderCostByGroup();
    QValueAxis *addTimeAxes(QChart *chart);
    void styleChart(QChart *chart) const;
    void styleAxis(QAbstractAxis *axis) const;
    /// A duration axis for values plotted in units of divisor ns, up to at least maxNs.
    QValueAxis *addDurationAxis(QChart *chart, double maxNs, double divisor) const;
    QValueAxis *addValueAxis(QChart *chart, double max, Qt::Alignment alignment, const QString &prefix,
        const QString &suffix, bool integral) const;
    QString bucketTitle(int bucket) const;
    QString groupLabel(const QString &group) const;
    QString groupNoun() const;
    bool darkPalette() const;
    /// @p color as drawn on the charts: at 3:1 at least against their background (WCAG for graphics).
    QColor onChart(const QColor &color) const;

    std::array<KpiTile *, NUM_KPIS> m_kpis {};
    std::array<DashboardChartView *, NUM_CHARTS> m_charts {};
    QLabel *m_costTitle = nullptr;
    QLabel *m_costByGroupTitle = nullptr;
    QComboBox *m_latency;
    ErrorGroupModel *m_errors;
    TraceRankModel *m_slowest;
    TraceRankModel *m_costliest;
    QTableView *m_errorTable = nullptr;
    QTableView *m_slowestTable = nullptr;
    QTableView *m_costliestTable = nullptr;
    QStackedWidget *m_stack;
    QScrollArea *m_scroll;
    QLabel *m_empty;
    QString m_emptyHint;
    bool m_noTraces = false; ///< the empty state is up because the range has no traces

    store::MetricsResult m_result;
    store::MetricsQuery m_query;
    dashboard::MetricsSeries m_series;
    /// Per bucket, ungrouped: from the overall answer when there is one, else the groups summed.
    std::vector<store::MetricsBucket> m_overall;
    store::MetricsBucket m_totals;
    QHash<QString, QColor> m_groupColors;
    int m_nextColor = 0;
};

} // namespace agentops::ui
