// SPDX-License-Identifier: MIT
#pragma once

#include "core/pricing.h"

#include <QGroupBox>

#include <memory>
#include <optional>

class QLabel;
class QLineEdit;
class QSpinBox;

namespace agentops::ui {

/// "Test a model name": which row of a price table prices a model name, by which of its names, and
/// what a call with the given token counts costs there, part by part, so a cost seen on a span can
/// be traced to the row and prices behind it.
class ModelPriceTester : public QGroupBox
{
    Q_OBJECT

public:
    explicit ModelPriceTester(QWidget *parent = nullptr);

    void setTable(std::shared_ptr<const core::PriceTable> table);
    void setModelName(const QString &name);
    /// Input includes the cached tokens and output the reasoning tokens, as spans report them.
    void setTokens(qint64 input, qint64 cached, qint64 output, qint64 reasoning);

    /// The id of the row that prices the model name; empty when none does.
    QString matchedId() const { return m_matchedId; }
    /// The cost at that row, nullopt without one.
    const std::optional<core::CostBreakdown> &cost() const { return m_cost; }
    /// The result as shown (rich text).
    QString resultText() const;

Q_SIGNALS:
    /// The row that prices the current name changed (empty: none).
    void matchChanged(const QString &rowId);

private:
    void refresh();

    QLineEdit *m_model;
    QSpinBox *m_input;
    QSpinBox *m_cached;
    QSpinBox *m_output;
    QSpinBox *m_reasoning;
    QLabel *m_result;
    std::shared_ptr<const core::PriceTable> m_table;
    QString m_matchedId;
    std::optional<core::CostBreakdown> m_cost;
};

} // namespace agentops::ui
