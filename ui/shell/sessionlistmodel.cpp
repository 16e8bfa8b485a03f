// SPDX-License-Identifier: MIT
#include "shell/sessionlistmodel.h"

#include "client/tracesourcerunner.h"
#include "common/format.h"
#include "common/theme.h"

#include <QApplication>
#include <QColor>

#include <algorithm>

namespace agentops::ui {

SessionListModel::SessionListModel(client::TraceSourceRunner *runner, QObject *parent)
    : QAbstractTableModel(parent)
    , m_runner(runner)
{ }

int SessionListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int SessionListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : NUM_COLUMNS;
}

static bool isNumeric(int column)
{
    return column >= SessionListModel::DurationColumn && column <= SessionListModel::CostColumn;
}

QVariant SessionListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto &s = session(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case SessionColumn: return QString::fromStdString(s.session_id);
        case UserColumn: return QString::fromStdString(s.user_id);
        case LastActiveColumn: return format::startTime(s.last_end_ns > 0 ? s.last_end_ns : s.first_start_ns);
        case DurationColumn:
            return format::duration(s.last_end_ns > s.first_start_ns ? s.last_end_ns - s.first_start_ns : 0);
        case TracesColumn: return format::count(s.trace_count);
        case SpansColumn: return format::count(s.span_count);
        case ErrorsColumn: return s.error_count > 0 ? format::count(s.error_count) : QStringLiteral("—");
        case TokensColumn: return s.total_tokens > 0 ? format::count(s.total_tokens) : QStringLiteral("—");
        case CostColumn: return format::cost(s.cost_usd, s.priced_spans, s.unpriced_spans);
        }
        break;
    case Qt::ToolTipRole:
        if (column == LastActiveColumn)
            return tr("%1 – %2").arg(format::timestamp(s.first_start_ns), format::timestamp(s.last_end_ns));
        if (column == SessionColumn)
            return QString::fromStdString(s.session_id);
        if (column == CostColumn)
            return format::costNote(s.priced_spans, s.unpriced_spans);
        break;
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(Qt::AlignVCenter | (isNumeric(column) ? Qt::AlignRight : Qt::AlignLeft));
    case Qt::ForegroundRole: {
        const QPalette pal = QApplication::palette();
        if (column == ErrorsColumn && s.error_count > 0)
            return theme::errorText(pal);
        if ((column == ErrorsColumn && s.error_count == 0) || (column == TokensColumn && s.total_tokens == 0)
            || (column == CostColumn && s.cost_usd <= 0))
            return theme::mutedText(pal);
        break;
    }
    case SessionIdRole: return QString::fromStdString(s.session_id);
    }
    return {};
}

QVariant SessionListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= NUM_COLUMNS)
        return {};
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue(Qt::AlignVCenter | (isNumeric(section) ? Qt::AlignRight : Qt::AlignLeft));
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SessionColumn: return tr("Session");
    case UserColumn: return tr("User");
    case LastActiveColumn: return tr("Last active");
    case DurationColumn: return tr("Duration");
    case TracesColumn: return tr("Traces");
    case SpansColumn: return tr("Spans");
    case ErrorsColumn: return tr("Errors");
    case TokensColumn: return tr("Tokens");
    case CostColumn: return tr("Cost");
    }
    return {};
}

int SessionListModel::rowOf(const std::string &sessionId) const
{
    const auto it
        = std::find_if(m_rows.begin(), m_rows.end(), [&](const auto &s) { return s.session_id == sessionId; });
    return it == m_rows.end() ? -1 : static_cast<int>(it - m_rows.begin());
}

void SessionListModel::reload()
{
    const quint64 generation = ++m_generation;
    m_fetching = true;
    store::SessionQuery q;
    q.limit = m_pageSize;
    m_runner->run(
        this, [q](client::TraceSource &source) { return source.listSessions(q); },
        [this, generation](store::SessionPage page) {
            if (generation != m_generation)
                return;
            m_fetching = false;
            beginResetModel();
            m_rows = std::move(page.sessions);
            m_nextCursor = std::move(page.next_cursor);
            endResetModel();
            Q_EMIT reloaded();
        },
        [this, generation](const QString &message) {
            if (generation != m_generation)
                return;
            m_fetching = false;
            Q_EMIT loadFailed(message);
        });
}

bool SessionListModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_fetching && !m_nextCursor.empty();
}

void SessionListModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    const quint64 generation = m_generation;
    m_fetching = true;
    store::SessionQuery q;
    q.limit = m_pageSize;
    q.cursor = m_nextCursor;
    m_runner->run(
        this, [q](client::TraceSource &source) { return source.listSessions(q); },
        [this, generation](store::SessionPage page) {
            if (generation != m_generation)
                return;
            m_fetching = false;
            m_nextCursor = std::move(page.next_cursor);
            std::erase_if(page.sessions, [this](const auto &s) { return rowOf(s.session_id) >= 0; });
            if (page.sessions.empty())
                return;
            const int first = rowCount();
            beginInsertRows({}, first, first + static_cast<int>(page.sessions.size()) - 1);
            m_rows.insert(m_rows.end(), std::make_move_iterator(page.sessions.begin()),
                std::make_move_iterator(page.sessions.end()));
            endInsertRows();
        },
        [this, generation](const QString &message) {
            if (generation != m_generation)
                return;
            m_fetching = false;
            Q_EMIT loadFailed(message);
        });
}

} // namespace agentops::ui
