// SPDX-License-Identifier: MIT
#include "shell/tracetablemodel.h"

#include "client/tracesourcerunner.h"
#include "common/format.h"
#include "common/theme.h"

#include <QApplication>
#include <QColor>
#include <QFont>
#include <QIcon>
#include <QPainter>
#include <QPixmap>
#include <QPoint>

#include <algorithm>
#include <unordered_map>

namespace agentops::ui {

namespace {

/// A hit's snippet on one line, as the list shows it: the texts it joins (message parts, values)
/// apart by " · ", and the matched parts as QChar ranges of that line.
std::pair<QString, QList<QPoint>> matchLine(const store::SearchHit &hit)
{
    const std::u32string points = QString::fromStdString(hit.snippet).toStdU32String();
    static const QString separator = QStringLiteral(" · ");
    QString line;
    std::vector<int> at(points.size() + 1, 0); // QChar offset of each code point
    for (std::size_t i = 0; i < points.size(); ++i) {
        at[i] = static_cast<int>(line.size());
        if (points[i] == U'\n')
            line += separator;
        else
            line += QString::fromStdU32String(points.substr(i, 1));
    }
    at[points.size()] = static_cast<int>(line.size());
    QList<QPoint> ranges;
    for (const auto &[begin, end] : hit.highlights)
        if (begin >= 0 && begin < end && end <= static_cast<int>(points.size()))
            ranges.append(QPoint(at[static_cast<std::size_t>(begin)], at[static_cast<std::size_t>(end)]));
    return { line, ranges };
}

QString matchText(const store::SearchHit &hit)
{
    return matchLine(hit).first;
}

QList<QPoint> matchHighlights(const store::SearchHit &hit)
{
    return matchLine(hit).second;
}

} // namespace

namespace {

QIcon statusDot(const QColor &color)
{
    // Drawn at 2x so the dot stays round on high-DPI screens.
    QPixmap pixmap(QSize(20, 20));
    pixmap.setDevicePixelRatio(2);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawEllipse(QRectF(2, 2, 6, 6));
    return QIcon(pixmap);
}

/// The status dots in the colours of the current theme (one pair per light and dark).
const QIcon &errorIcon()
{
    const QPalette pal = QApplication::palette();
    static const QIcon light = statusDot(theme::errorMark(theme::lightPalette()));
    static const QIcon dark = statusDot(theme::errorMark(theme::darkPalette()));
    return theme::isDark(pal) ? dark : light;
}

const QIcon &okIcon()
{
    const QPalette pal = QApplication::palette();
    static const QIcon light = statusDot(theme::successMark(theme::lightPalette()));
    static const QIcon dark = statusDot(theme::successMark(theme::darkPalette()));
    return theme::isDark(pal) ? dark : light;
}

bool isNumeric(int column)
{
    switch (column) {
    case TraceTableModel::DurationColumn:
    case TraceTableModel::SpansColumn:
    case TraceTableModel::ErrorsColumn:
    case TraceTableModel::TokensColumn:
    case TraceTableModel::CostColumn: return true;
    default: return false;
    }
}

QString joinModels(const std::vector<std::string> &models)
{
    QStringList list;
    for (const auto &m : models)
        list << QString::fromStdString(m);
    return list.join(QStringLiteral(", "));
}

bool sameSummary(const core::TraceSummary &a, const core::TraceSummary &b)
{
    return a.name == b.name && a.service_name == b.service_name && a.start_ns == b.start_ns && a.end_ns == b.end_ns
        && a.span_count == b.span_count && a.error_count == b.error_count && a.total_tokens == b.total_tokens
        && a.cost_usd == b.cost_usd && a.priced_spans == b.priced_spans && a.unpriced_spans == b.unpriced_spans
        && a.models == b.models && a.session_id == b.session_id && a.root_span_id == b.root_span_id;
}

} // namespace

TraceTableModel::TraceTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

int TraceTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int TraceTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : NUM_COLUMNS;
}

QVariant TraceTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto &t = trace(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case StartColumn: return format::startTime(t.start_ns);
        case NameColumn: return t.name.empty() ? tr("(unnamed)") : QString::fromStdString(t.name);
        case ServiceColumn: return QString::fromStdString(t.service_name);
        case DurationColumn: return format::duration(t.durationNs());
        case SpansColumn: return format::count(t.span_count);
        case ErrorsColumn: return t.error_count > 0 ? format::count(t.error_count) : QStringLiteral("—");
        case TokensColumn: return t.total_tokens > 0 ? format::count(t.total_tokens) : QStringLiteral("—");
        case CostColumn: return format::cost(t.cost_usd, t.priced_spans, t.unpriced_spans);
        case ModelsColumn: return joinModels(t.models);
        case SessionColumn: return QString::fromStdString(t.session_id);
        case MatchColumn: {
            const auto hit = m_hits.find(t.trace_id);
            return hit == m_hits.end() ? QString() : matchText(hit->second);
        }
        }
        break;
    case Qt::ToolTipRole:
        switch (column) {
        case StartColumn: return format::timestamp(t.start_ns);
        case NameColumn:
            return tr("%1\nTrace %2")
                .arg(QString::fromStdString(t.name), QString::fromStdString(core::toHex(t.trace_id)));
        case TokensColumn:
            if (t.total_tokens <= 0)
                return {};
            return tr("Input %1 · output %2 · cache read %3 · reasoning %4")
                .arg(format::count(t.input_tokens), format::count(t.output_tokens), format::count(t.cache_read_tokens),
                    format::count(t.reasoning_tokens));
        case CostColumn: return format::costNote(t.priced_spans, t.unpriced_spans);
        case ModelsColumn: return joinModels(t.models);
        case SessionColumn: return QString::fromStdString(t.session_id);
        }
        break;
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(Qt::AlignVCenter | (isNumeric(column) ? Qt::AlignRight : Qt::AlignLeft));
    case Qt::DecorationRole:
        if (column == NameColumn)
            return t.error_count > 0 ? errorIcon() : okIcon();
        break;
    case Qt::ForegroundRole: {
        // Colours of the theme, readable on the row's own background (failed rows are tinted).
        const QPalette pal = QApplication::palette();
        const QColor background = t.error_count > 0 ? theme::errorTint(pal) : pal.color(QPalette::Base);
        if (column == ErrorsColumn && t.error_count > 0)
            return theme::readable(theme::errorText(pal), background);
        if ((column == ErrorsColumn && t.error_count == 0) || (column == TokensColumn && t.total_tokens == 0)
            || (column == CostColumn && t.cost_usd <= 0))
            return theme::readable(theme::mutedText(pal), background);
        break;
    }
    case Qt::FontRole:
        if (column == ErrorsColumn && t.error_count > 0) {
            QFont font;
            font.setBold(true);
            return font;
        }
        break;
    case Qt::BackgroundRole:
        if (t.error_count > 0)
            return theme::errorTint(QApplication::palette());
        break;
    case TraceIdRole: return QString::fromStdString(core::toHex(t.trace_id));
    case HasErrorsRole: return t.error_count > 0;
    case StartNsRole: return static_cast<qint64>(t.start_ns);
    case MatchSpanRole: {
        const auto hit = m_hits.find(t.trace_id);
        return hit == m_hits.end() ? QString() : QString::fromStdString(hit->second.span_id);
    }
    case MatchHighlightsRole: {
        const auto hit = m_hits.find(t.trace_id);
        return hit == m_hits.end() ? QVariant() : QVariant::fromValue(matchHighlights(hit->second));
    }
    }
    return {};
}

void TraceTableModel::noteHits(const std::vector<core::TraceSummary> &traces, const std::vector<store::SearchHit> &hits)
{
    for (std::size_t i = 0; i < traces.size() && i < hits.size(); ++i)
        m_hits[traces[i].trace_id] = hits[i];
}

QVariant TraceTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= NUM_COLUMNS)
        return {};
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue(Qt::AlignVCenter | (isNumeric(section) ? Qt::AlignRight : Qt::AlignLeft));
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case StartColumn: return tr("Start");
    case NameColumn: return tr("Name");
    case ServiceColumn: return tr("Service");
    case DurationColumn: return tr("Duration");
    case SpansColumn: return tr("Spans");
    case ErrorsColumn: return tr("Errors");
    case TokensColumn: return tr("Tokens");
    case CostColumn: return tr("Cost");
    case ModelsColumn: return tr("Models");
    case SessionColumn: return tr("Session");
    case MatchColumn: return tr("Found");
    }
    return {};
}

void TraceTableModel::setTraces(std::vector<core::TraceSummary> traces)
{
    beginResetModel();
    m_rows = std::move(traces);
    endResetModel();
}

int TraceTableModel::rowOf(const core::TraceId &id) const
{
    const auto it = std::find_if(m_rows.begin(), m_rows.end(), [&](const auto &t) { return t.trace_id == id; });
    return it == m_rows.end() ? -1 : static_cast<int>(it - m_rows.begin());
}

// ---------------------------------------------------------------------------------------------

TraceListModel::TraceListModel(client::TraceSourceRunner *runner, QObject *parent)
    : TraceTableModel(parent)
    , m_runner(runner)
{ }

std::optional<store::TraceSort> TraceListModel::sortForColumn(int column)
{
    switch (column) {
    case StartColumn: return store::TraceSort::StartTime;
    case DurationColumn: return store::TraceSort::Duration;
    case SpansColumn: return store::TraceSort::SpanCount;
    case ErrorsColumn: return store::TraceSort::ErrorCount;
    case TokensColumn: return store::TraceSort::Tokens;
    case CostColumn: return store::TraceSort::Cost;
    default: return std::nullopt;
    }
}

store::TraceQuery TraceListModel::pageQuery() const
{
    store::TraceQuery q = m_filter;
    q.sort = sortForColumn(m_sortColumn).value_or(store::TraceSort::StartTime);
    q.descending = m_descending;
    q.limit = m_pageSize;
    q.cursor.clear();
    return q;
}

void TraceListModel::setLoading(bool loading)
{
    if (loading == m_loading)
        return;
    m_loading = loading;
    Q_EMIT loadingChanged(loading);
}

void TraceListModel::setFilter(const store::TraceQuery &filter)
{
    m_filter = filter;
    reload();
}

void TraceListModel::sort(int column, Qt::SortOrder order)
{
    if (!sortForColumn(column))
        return;
    const bool descending = order == Qt::DescendingOrder;
    if (column == m_sortColumn && descending == m_descending)
        return;
    m_sortColumn = column;
    m_descending = descending;
    reload();
}

void TraceListModel::reload()
{
    const quint64 generation = ++m_generation;
    m_fetching = true;
    m_refreshing = false;
    m_refreshAgain = false;
    setLoading(true);
    m_runner->run(
        this, [q = pageQuery()](client::TraceSource &source) { return source.listTraces(q); },
        [this, generation](store::TracePage page) {
            if (generation != m_generation)
                return;
            m_fetching = false;
            beginResetModel();
            m_hits.clear();
            noteHits(page.traces, page.hits);
            m_rows = std::move(page.traces);
            m_nextCursor = std::move(page.next_cursor);
            m_ids.clear();
            for (const auto &t : m_rows)
                m_ids.insert(t.trace_id);
            endResetModel();
            noteValues(m_rows);
            setLoading(false);
            Q_EMIT reloaded();
        },
        [this, generation](const QString &message) {
            if (generation != m_generation)
                return;
            m_fetching = false;
            setLoading(false);
            Q_EMIT loadFailed(message);
        });
}

void TraceListModel::clearRows()
{
    ++m_generation; // answers on their way belong to another query
    m_fetching = false;
    m_refreshing = false;
    beginResetModel();
    m_rows.clear();
    m_ids.clear();
    m_hits.clear();
    m_nextCursor.clear();
    endResetModel();
    setLoading(false);
}

bool TraceListModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_fetching && !m_nextCursor.empty();
}

void TraceListModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    const quint64 generation = m_generation;
    m_fetching = true;
    setLoading(true);
    auto q = pageQuery();
    q.cursor = m_nextCursor;
    m_runner->run(
        this, [q](client::TraceSource &source) { return source.listTraces(q); },
        [this, generation](store::TracePage page) {
            if (generation != m_generation)
                return;
            m_fetching = false;
            m_nextCursor = std::move(page.next_cursor);
            noteHits(page.traces, page.hits);
            // A trace inserted live may come again in a later page: show it once.
            std::erase_if(page.traces, [this](const auto &t) { return m_ids.count(t.trace_id) > 0; });
            if (!page.traces.empty()) {
                noteValues(page.traces);
                insertRowsAt(rowCount(), std::move(page.traces));
                Q_EMIT rowsAdded();
            }
            setLoading(false);
        },
        [this, generation](const QString &message) {
            if (generation != m_generation)
                return;
            m_fetching = false;
            setLoading(false);
            Q_EMIT loadFailed(message);
        });
}

void TraceListModel::refreshNewer()
{
    // A first page still loading will show the new traces anyway.
    if (m_fetching && m_rows.empty())
        return;
    if (m_refreshing) {
        m_refreshAgain = true;
        return;
    }
    m_refreshing = true;
    const quint64 generation = m_generation;
    m_runner->run(
        this, [q = pageQuery()](client::TraceSource &source) { return source.listTraces(q); },
        [this, generation](store::TracePage page) {
            if (generation != m_generation)
                return;
            m_refreshing = false;
            noteHits(page.traces, page.hits);
            applyRefresh(std::move(page.traces));
            if (m_refreshAgain) {
                m_refreshAgain = false;
                refreshNewer();
            }
        },
        [this, generation](const QString &) {
            if (generation == m_generation)
                m_refreshing = false;
        });
}

void TraceListModel::applyRefresh(std::vector<core::TraceSummary> page)
{
    // Rows already shown: update in place.
    std::unordered_map<std::string, int> rowById;
    std::vector<core::TraceSummary> fresh;
    for (auto &t : page) {
        if (m_ids.count(t.trace_id) == 0) {
            fresh.push_back(std::move(t));
            continue;
        }
        if (rowById.empty())
            for (int r = 0; r < rowCount(); ++r)
                rowById.emplace(
                    std::string(
                        reinterpret_cast<const char *>(m_rows[static_cast<std::size_t>(r)].trace_id.data()), 16),
                    r);
        const auto it = rowById.find(std::string(reinterpret_cast<const char *>(t.trace_id.data()), 16));
        if (it == rowById.end())
            continue;
        auto &row = m_rows[static_cast<std::size_t>(it->second)];
        if (!sameSummary(row, t)) {
            row = std::move(t);
            Q_EMIT dataChanged(index(it->second, 0), index(it->second, NUM_COLUMNS - 1));
        }
    }
    if (fresh.empty())
        return;

    const bool byStart = m_sortColumn == StartColumn;
    if (!byStart || (static_cast<int>(fresh.size()) >= m_pageSize && !m_rows.empty())) {
        // New traces belong somewhere among (or beyond) the loaded rows by another key, or more arrived
        // than one page shows: only a reload places them right.
        if (!byStart)
            return;
        reload();
        return;
    }
    noteValues(fresh);
    const auto before = [this](const core::TraceSummary &a, const core::TraceSummary &b) {
        return m_descending ? a.start_ns > b.start_ns : a.start_ns < b.start_ns;
    };
    std::stable_sort(fresh.begin(), fresh.end(), before);
    // Group the fresh traces by where they go, so the usual case (all newer than everything
    // shown) is one insertion at the top.
    std::size_t i = 0;
    bool added = false;
    while (i < fresh.size()) {
        const auto pos = std::upper_bound(m_rows.begin(), m_rows.end(), fresh[i], before) - m_rows.begin();
        if (pos == static_cast<long>(m_rows.size()) && hasMore())
            break; // beyond the loaded rows: the next page brings them
        std::size_t j = i + 1;
        while (j < fresh.size()
            && std::upper_bound(m_rows.begin(), m_rows.end(), fresh[j], before) - m_rows.begin() == pos)
            ++j;
        std::vector<core::TraceSummary> group(std::make_move_iterator(fresh.begin() + static_cast<long>(i)),
            std::make_move_iterator(fresh.begin() + static_cast<long>(j)));
        insertRowsAt(static_cast<int>(pos), std::move(group));
        added = true;
        i = j;
    }
    if (added)
        Q_EMIT rowsAdded();
}

void TraceListModel::insertRowsAt(int row, std::vector<core::TraceSummary> traces)
{
    if (traces.empty())
        return;
    beginInsertRows({}, row, row + static_cast<int>(traces.size()) - 1);
    for (const auto &t : traces)
        m_ids.insert(t.trace_id);
    m_rows.insert(m_rows.begin() + row, std::make_move_iterator(traces.begin()), std::make_move_iterator(traces.end()));
    endInsertRows();
}

void TraceListModel::noteValues(const std::vector<core::TraceSummary> &traces)
{
    bool changed = false;
    for (const auto &t : traces) {
        if (!t.service_name.empty())
            changed |= m_services.insert(QString::fromStdString(t.service_name)).second;
        for (const auto &m : t.models)
            changed |= m_models.insert(QString::fromStdString(m)).second;
    }
    if (changed)
        Q_EMIT knownValuesChanged();
}

} // namespace agentops::ui
