// SPDX-License-Identifier: MIT
#include "waterfallmodel.h"

#include "common/format.h"
#include "common/theme.h"
#include "store/tracestore.h"

#include <QApplication>
#include <QLocale>

namespace agentops::ui {

namespace {

QString fromStd(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

} // namespace

QString WaterfallModel::kindName(core::SpanKind kind)
{
    switch (kind) {
    case core::SpanKind::Agent: return WaterfallModel::tr("agent");
    case core::SpanKind::Llm: return WaterfallModel::tr("LLM");
    case core::SpanKind::Tool: return WaterfallModel::tr("tool");
    case core::SpanKind::Chain: return WaterfallModel::tr("chain");
    case core::SpanKind::Retriever: return WaterfallModel::tr("retriever");
    case core::SpanKind::Embedding: return WaterfallModel::tr("embedding");
    case core::SpanKind::Guardrail: return WaterfallModel::tr("guardrail");
    case core::SpanKind::Evaluator: return WaterfallModel::tr("evaluator");
    case core::SpanKind::Other: break;
    }
    return WaterfallModel::tr("other");
}

WaterfallModel::WaterfallModel(QObject *parent)
    : QAbstractItemModel(parent)
{ }

void WaterfallModel::setWaterfallData(std::shared_ptr<const WaterfallData> data)
{
    beginResetModel();
    m_data = std::move(data);
    endResetModel();
}

QModelIndex WaterfallModel::indexForSpan(int span, int column) const
{
    if (!m_data || span < 0 || span >= m_data->size())
        return {};
    return createIndex(m_data->tree.row[span], column, quintptr(span));
}

QModelIndex WaterfallModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!m_data || row < 0 || column < 0 || column >= NUM_COLUMNS || (parent.isValid() && parent.column() != 0))
        return {};
    const int p = spanOf(parent);
    if (row >= m_data->tree.childCount(p))
        return {};
    return createIndex(row, column, quintptr(m_data->tree.child(p, row)));
}

QModelIndex WaterfallModel::parent(const QModelIndex &child) const
{
    if (!m_data || !child.isValid())
        return {};
    const int p = m_data->tree.parent[spanOf(child)];
    if (p < 0)
        return {};
    return createIndex(m_data->tree.row[p], 0, quintptr(p));
}

int WaterfallModel::rowCount(const QModelIndex &parent) const
{
    if (!m_data || (parent.isValid() && parent.column() != 0))
        return 0;
    return m_data->tree.childCount(spanOf(parent));
}

int WaterfallModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() && parent.column() != 0 ? 0 : NUM_COLUMNS;
}

bool WaterfallModel::hasChildren(const QModelIndex &parent) const
{
    return rowCount(parent) > 0;
}

QVariant WaterfallModel::data(const QModelIndex &index, int role) const
{
    if (!m_data || !index.isValid())
        return {};
    const int i = spanOf(index);
    const store::SpanTable::Row &span = m_data->row(i);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn: return fromStd(m_data->text(span.name));
        case DurationColumn: return format::duration(m_data->end[i] - m_data->start[i]);
        default: return {};
        }
    case Qt::ToolTipRole: return toolTip(i);
    case Qt::TextAlignmentRole:
        if (index.column() == DurationColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case SpanIndexRole: return i;
    case StartRole: return qint64(m_data->start[i]);
    case EndRole: return qint64(m_data->end[i]);
    case KindRole: return int(span.kind);
    case ErrorRole: return span.status == core::StatusCode::Error;
    case OrphanRole: return std::size_t(i) < m_data->trace->orphan.size() && m_data->trace->orphan[i];
    case CriticalRole: return m_data->critical[i] != 0;
    case SecondaryTextRole:
        if (span.model() != 0)
            return fromStd(m_data->text(span.model()));
        if (span.kind == core::SpanKind::Tool && span.tool != 0
            && m_data->text(span.name).find(m_data->text(span.tool)) == std::string_view::npos)
            return fromStd(m_data->text(span.tool));
        return {};
    case MatchRole: return int(NoSearch);
    default: return {};
    }
}

QVariant WaterfallModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Span");
    case DurationColumn: return tr("Duration");
    // The axis header draws the time scale in this section instead of a title.
    case TimelineColumn: return QString();
    default: return {};
    }
}

QString WaterfallModel::toolTip(int i) const
{
    const store::SpanTable::Row &span = m_data->row(i);
    const auto text = [this](std::uint32_t id) { return fromStd(m_data->text(id)); };
    QString html = QLatin1String("<b>") + text(span.name).toHtmlEscaped() + QLatin1String("</b><table>");
    const auto row = [&html](const QString &key, const QString &value) {
        html += QLatin1String("<tr><td style='padding-right:8px'>") + key + QLatin1String("</td><td>") + value
            + QLatin1String("</td></tr>");
    };
    row(tr("Kind"), kindName(span.kind));
    row(tr("Duration"), format::duration(m_data->end[i] - m_data->start[i]));
    row(tr("Starts at"), QLatin1Char('+') + format::duration(m_data->start[i] - m_data->traceStart));
    if (span.model() != 0)
        row(tr("Model"), text(span.model()).toHtmlEscaped());
    if (span.provider != 0)
        row(tr("Provider"), text(span.provider).toHtmlEscaped());
    if (span.tool != 0)
        row(tr("Tool"), text(span.tool).toHtmlEscaped());
    if (span.tokens_present != 0) {
        const auto n = [&span](int k) {
            return span.tokens_present & (1u << k) ? format::count(span.tokens[k]) : QStringLiteral("–");
        };
        row(tr("Tokens"), tr("%1 in · %2 out").arg(n(0), n(1)));
    }
    if (span.has_cost)
        row(tr("Cost"), format::money(span.cost_usd));
    QString status;
    switch (span.status) {
    case core::StatusCode::Error: {
        // Red that reads on the tooltip's own background, in light and dark themes.
        const QPalette pal = QApplication::palette();
        const QColor red = theme::readable(theme::errorText(pal), pal.color(QPalette::ToolTipBase));
        status = QLatin1String("<span style='color:") + red.name() + QLatin1String("'><b>") + tr("error")
            + QLatin1String("</b></span>");
        if (span.status_message != 0)
            status += QLatin1String(": ") + text(span.status_message).left(300).toHtmlEscaped();
        break;
    }
    case core::StatusCode::Ok: status = tr("ok"); break;
    case core::StatusCode::Unset: status = tr("unset"); break;
    }
    row(tr("Status"), status);
    if (std::size_t(i) < m_data->trace->orphan.size() && m_data->trace->orphan[i])
        row(tr("Parent"), tr("missing from the trace"));
    if (m_data->critical[i])
        row(tr("Critical path"), tr("yes"));
    html += QLatin1String("</table>");
    return html;
}

} // namespace agentops::ui
