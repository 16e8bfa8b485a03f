// SPDX-License-Identifier: MIT
#pragma once

#include "core/pricing.h"

#include <QDialog>
#include <QJsonObject>

#include <array>
#include <optional>
#include <vector>

class QComboBox;
class QDateEdit;
class QLabel;
class QLineEdit;
class QTableWidget;

namespace agentops::ui {

/// The form for one override row. Validation is the price table loader's own: the form is turned
/// into a row of the JSON format and loaded, and the loader's message is shown with the field it
/// names (so the form can never accept a row the overrides file would then refuse).
class PriceRowDialog : public QDialog
{
    Q_OBJECT

public:
    enum Price { InputPrice, CacheReadPrice, CacheWritePrice, OutputPrice, ReasoningPrice, NUM_PRICES };
    /// Tier table columns: the threshold, then the prices in Price order.
    enum TierColumns {
        TierAboveColumn,
        TierInputColumn,
        TierCacheReadColumn,
        TierCacheWriteColumn,
        TierOutputColumn,
        TierReasoningColumn,
        NUM_TIER_COLUMNS
    };

    explicit PriceRowDialog(const QString &title, QWidget *parent = nullptr);

    /// Fills the form.
    void setRow(const core::PriceRow &row);
    /// Overriding a shipped row keeps its id: that is what makes the override replace it.
    void setIdLocked(bool locked);
    /// The user's other override rows (ids and names must not clash with them) and the shipped
    /// table (to say when the id replaces a shipped row).
    void setContext(std::vector<core::PriceRow> otherOverrides, const core::PriceTable *shipped);

    /// Checks the form; on failure shows the message and focuses the field it names.
    bool validate();
    /// The message of the last failed validate(), naming the field; empty after a successful one.
    QString errorText() const { return m_errorText; }
    /// The validated row (Source::Override); set after validate() returned true.
    const std::optional<core::PriceRow> &row() const { return m_row; }

    /// The form as one row of the price table format. Text that is not a number goes in as text, so
    /// the loader reports it as the bad value it is.
    QJsonObject rowJson() const;

    /// A loader message about the row at rowsIndex with this id, rephrased to name the form's field
    /// ("Cached read price: must be a number >= 0 ..."). field receives the loader's path of the
    /// field ("prices.cache_read"), empty when the message names none.
    static QString describeError(const QString &loaderError, const QString &id, QString *field = nullptr);

    void accept() override;

private:
    void addTier(const core::PriceTier *tier = nullptr);
    void updateReplacesHint();
    void growToFit();
    void focusField(const QString &field);
    void showError(const QString &message, const QString &field);

    QLineEdit *m_id;
    QComboBox *m_provider;
    QLineEdit *m_models;
    QLineEdit *m_patterns;
    std::array<QLineEdit *, NUM_PRICES> m_prices {};
    QTableWidget *m_tiers;
    QDateEdit *m_asOf;
    QLineEdit *m_url;
    QLineEdit *m_note;
    QLabel *m_replaces;
    QLabel *m_error;

    std::vector<core::PriceRow> m_others;
    const core::PriceTable *m_shipped = nullptr;
    std::optional<core::PriceRow> m_row;
    QString m_errorText;
};

} // namespace agentops::ui
