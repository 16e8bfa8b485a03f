// SPDX-License-Identifier: MIT
#include "compare/stepdiffmodel.h"

#include "common/format.h"
#include "common/theme.h"
#include "core/usage.h"

namespace agentops::ui {

namespace {

/// "+1,234" / "−56" / "0": a delta with its sign, so that a gain and a loss read apart.
QString signedCount(std::int64_t v)
{
    return v > 0 ? QStringLiteral("+") + format::count(v)
        : v < 0  ? QStringLiteral("−") + format::count(-v)
                 : QStringLiteral("0");
}

QString signedDuration(std::int64_t ns)
{
    return ns > 0 ? QStringLiteral("+") + format::duration(ns)
        : ns < 0  ? QStringLiteral("−") + format::duration(-ns)
                  : QStringLiteral("0");
}

QString signedMoney(double usd)
{
    return usd > 0 ? QStringLiteral("+") + format::money(usd)
        : usd < 0  ? QStringLiteral("−") + format::money(-usd)
                   : format::money(0);
}

} // namespace

StepDiffModel::StepDiffModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void StepDiffModel::setResult(std::shared_ptr<const CompareResult> result)
{
    beginResetModel();
    m_result = std::move(result);
    endResetModel();
}

void StepDiffModel::setPalette(const QPalette &palette)
{
    m_palette = palette;
    if (rowCount() > 0)
        Q_EMIT dataChanged(
            index(0, 0), index(rowCount() - 1, NUM_COLUMNS - 1), { Qt::BackgroundRole, Qt::ForegroundRole });
}

const core::Span *StepDiffModel::spanA(int row) const
{
    const auto &p = m_result->diff.pairs[static_cast<std::size_t>(row)];
    return p.a < 0 ? nullptr : &m_result->a->spans[static_cast<std::size_t>(p.a)];
}

const core::Span *StepDiffModel::spanB(int row) const
{
    const auto &p = m_result->diff.pairs[static_cast<std::size_t>(row)];
    return p.b < 0 ? nullptr : &m_result->b->spans[static_cast<std::size_t>(p.b)];
}

QString StepDiffModel::stateText(diff::PairState state)
{
    switch (state) {
    case diff::PairState::Same: return tr("same");
    case diff::PairState::Changed: return tr("changed");
    case diff::PairState::Added: return tr("added");
    case diff::PairState::Removed: return tr("removed");
    }
    return {};
}

QString StepDiffModel::changesText(std::uint16_t changes)
{
    QStringList out;
    if (changes & diff::StatusChange)
        out << tr("status");
    if (changes & diff::MessageChange)
        out << tr("message");
    if (changes & diff::TokensChange)
        out << tr("tokens");
    if (changes & diff::CostChange)
        out << tr("cost");
    if (changes & diff::InputChange)
        out << tr("input");
    if (changes & diff::OutputChange)
        out << tr("output");
    return out.join(tr(", "));
}

QColor StepDiffModel::tint(diff::PairState state, const QPalette &palette)
{
    const QColor base = palette.color(QPalette::Base);
    switch (state) {
    case diff::PairState::Same: return {};
    case diff::PairState::Changed: return theme::mix(base, theme::warningText(palette), 0.8);
    case diff::PairState::Added: return theme::mix(base, theme::successMark(palette), 0.8);
    case diff::PairState::Removed: return theme::mix(base, theme::errorMark(palette), 0.8);
    }
    return {};
}

int StepDiffModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_result ? 0 : static_cast<int>(m_result->diff.pairs.size());
}

int StepDiffModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : NUM_COLUMNS;
}

QString StepDiffModel::stepText(int row, bool sideB) const
{
    const auto &p = m_result->diff.pairs[static_cast<std::size_t>(row)];
    const int index = sideB ? p.b : p.a;
    if (index < 0)
        return {};
    const auto &detail = sideB ? *m_result->b : *m_result->a;
    const auto i = static_cast<std::size_t>(index);
    const int depth = i < detail.depth.size() ? detail.depth[i] : 0;
    const core::Span &s = detail.spans[i];
    QString text = QString(qsizetype { depth } * 2, QLatin1Char(' ')) + QString::fromStdString(s.name);
    if (s.status == core::StatusCode::Error)
        text += QStringLiteral("  ⚠");
    return text;
}

QVariant StepDiffModel::display(int row, int column) const
{
    const auto &p = m_result->diff.pairs[static_cast<std::size_t>(row)];
    switch (column) {
    case StateColumn: return stateText(p.state);
    case StepAColumn: return stepText(row, false);
    case StepBColumn: return stepText(row, true);
    default: break;
    }
    const auto d = diff::pairDelta(spanA(row), spanB(row));
    // An agent's or chain's usage repeats the calls below it (core/usage.h): shown in parentheses,
    // as the details pane notes it, so the column adds up to the runs' totals.
    const bool rollup = isRollup(row);
    auto repeated = [rollup](const QString &text) { return rollup ? QStringLiteral("(%1)").arg(text) : text; };
    switch (column) {
    case DurationColumn: return signedDuration(d.duration_ns);
    case TokensColumn: return repeated(signedCount(d.tokens.total));
    case CostColumn:
        // No difference reads the same whether the steps are priced or not.
        return d.cost_usd && *d.cost_usd != 0 ? repeated(signedMoney(*d.cost_usd)) : QStringLiteral("—");
    case ChangesColumn: return changesText(p.changes);
    default: return {};
    }
}

bool StepDiffModel::isRollup(int row) const
{
    const core::Span *s = spanA(row) ? spanA(row) : spanB(row);
    return s && !core::countsUsage(s->kind);
}

QVariant StepDiffModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || !m_result)
        return {};
    const auto &p = m_result->diff.pairs[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole: return display(index.row(), index.column());
    case StateRole: return static_cast<int>(p.state);
    case Qt::BackgroundRole: {
        const QColor c = tint(p.state, m_palette);
        return c.isValid() ? QVariant(c) : QVariant();
    }
    case Qt::TextAlignmentRole:
        if (index.column() >= DurationColumn && index.column() <= CostColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ForegroundRole:
        if ((index.column() == TokensColumn || index.column() == CostColumn) && isRollup(index.row()))
            return QVariant(theme::mutedText(m_palette));
        return {};
    case Qt::ToolTipRole: {
        if ((index.column() == TokensColumn || index.column() == CostColumn) && isRollup(index.row()))
            return tr("The sum of the calls below; counted once, on them");
        const core::Span *s = index.column() == StepBColumn ? spanB(index.row()) : spanA(index.row());
        if (!s)
            s = spanB(index.row());
        if (!s || s->status_message.empty())
            return {};
        return QString::fromStdString(s->status_message);
    }
    default: return {};
    }
}

QVariant StepDiffModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case StateColumn: return tr("Step");
    case StepAColumn: return tr("Run A");
    case StepBColumn: return tr("Run B");
    case DurationColumn: return tr("Δ Duration");
    case TokensColumn: return tr("Δ Tokens");
    case CostColumn: return tr("Δ Cost");
    case ChangesColumn: return tr("Changed");
    default: return {};
    }
}

} // namespace agentops::ui
