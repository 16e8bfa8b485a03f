// SPDX-License-Identifier: MIT
#pragma once

#include "client/tracesource.h"
#include "diff/tracediff.h"

#include <QAbstractTableModel>
#include <QPalette>

#include <memory>

namespace agentops::ui {

/// One run picked for a comparison: the trace and the source it is read from (the local database
/// or a team server; the two runs of a comparison may come from different ones).
struct CompareRun
{
    std::shared_ptr<client::TraceSource> source;
    core::TraceId id {};
    QString sourceName;
};

/// Two runs and their comparison, as the worker thread hands them to the page.
struct CompareResult
{
    std::shared_ptr<const store::TraceDetail> a, b;
    diff::TraceDiff diff;
};

/// The aligned steps of two runs, one row a pair: its state, each side's step, the deltas and what
/// changed. Rows are tinted by state with colours derived from the palette (setPalette on a change
/// of theme).
class StepDiffModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Columns {
        StateColumn,
        StepAColumn,
        StepBColumn,
        DurationColumn,
        TokensColumn,
        CostColumn,
        ChangesColumn,
        NUM_COLUMNS
    };
    enum Roles { StateRole = Qt::UserRole };

    explicit StepDiffModel(QObject *parent = nullptr);

    void setResult(std::shared_ptr<const CompareResult> result);
    const CompareResult *result() const { return m_result.get(); }
    void setPalette(const QPalette &palette);
    /// The spans of a row's pair, nullptr for a side without the step.
    const core::Span *spanA(int row) const;
    const core::Span *spanB(int row) const;

    /// A row's state as the user reads it ("same", "changed", ...), translated.
    static QString stateText(diff::PairState state);
    /// What changed, translated ("status, tokens").
    static QString changesText(std::uint16_t changes);
    /// The tint of a row of that state in that palette (no tint for same): a fifth of the state's mark
    /// over the base colour, so the text keeps its contrast.
    static QColor tint(diff::PairState state, const QPalette &palette);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QVariant display(int row, int column) const;
    QString stepText(int row, bool sideB) const;
    /// The row's step is an agent or chain, whose usage repeats the calls below it.
    bool isRollup(int row) const;

    std::shared_ptr<const CompareResult> m_result;
    QPalette m_palette;
};

} // namespace agentops::ui
