// SPDX-License-Identifier: MIT
#pragma once

#include "client/priceoverrides.h"
#include "core/pricing.h"

#include <QDialog>

#include <memory>
#include <vector>

class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace agentops::client {
class LocalBackend;
}

namespace agentops::ui {

class ModelPriceTester;
class PriceFilterModel;
class PriceTableModel;
class Repricer;

/// Settings → Model prices: the effective price table (shipped rows and the user's overrides) with
/// a filter, adding, editing and removing override rows, a tester that shows which row prices a
/// model name and what a call costs there, saving (new spans are priced with the new table at once)
/// and re-pricing the traces already stored.
class PriceEditorDialog : public QDialog
{
    Q_OBJECT

public:
    PriceEditorDialog(client::LocalBackend &backend, QWidget *parent);
    ~PriceEditorDialog() override;

    /// The override rows as edited, saved or not.
    const std::vector<core::PriceRow> &overrides() const { return m_overrides.rows(); }
    /// Replaces the edited override rows; false (with the loader's message) when they do not form a
    /// valid overrides file.
    bool setOverrides(const std::vector<core::PriceRow> &rows, QString *error = nullptr);
    /// Shipped rows with the edited overrides laid over them.
    std::shared_ptr<const core::PriceTable> effectiveTable() const { return m_effective; }
    bool hasUnsavedChanges() const { return m_dirty; }

    /// Writes the overrides file and prices new spans with the new table. On failure tells the user
    /// and returns false.
    bool save();
    /// Prices the stored model calls again with the saved table, off the GUI thread, with a progress
    /// dialog that can stop it; tracesRepriced reports the outcome.
    void repriceStoredTraces();
    bool isRepricing() const;

    PriceTableModel *model() const { return m_model; }
    PriceFilterModel *filterModel() const { return m_filter; }
    QTableView *view() const { return m_view; }
    ModelPriceTester *tester() const { return m_tester; }
    QLineEdit *filterEdit() const { return m_filterEdit; }
    /// The line under the table: rows, overrides, unsaved changes or the last outcome.
    QString statusText() const;

    /// Selects the row with this id (clearing a filter that hides it).
    void selectRow(const QString &id);

Q_SIGNALS:
    void pricesSaved();
    /// A re-pricing run ended: changedSpans got a new cost; cancelled when stopped before the end;
    /// error when the store failed.
    void tracesRepriced(qint64 changedSpans, bool cancelled, const QString &error);

public Q_SLOTS:
    void reject() override;

private:
    void setUpTable();
    enum class EditKind { Add, Edit, Duplicate };
    void editRow(EditKind kind);
    void removeOverride();
    void saveClicked();
    void offerReprice();
    void rebuild(const QString &selectId);
    void updateActions();
    void updateStatus();
    const core::PriceRow *currentRow() const;

    client::LocalBackend &m_backend;
    client::PriceOverrides m_overrides;
    std::shared_ptr<const core::PriceTable> m_effective;
    std::shared_ptr<const core::PriceTable> m_saved; ///< what new spans are priced with
    bool m_dirty = false;
    QString m_outcome; ///< the last save or re-pricing, for the status line

    PriceTableModel *m_model;
    PriceFilterModel *m_filter;
    QLabel *m_loadError;
    QLineEdit *m_filterEdit;
    QTableView *m_view;
    QPushButton *m_add;
    QPushButton *m_edit;
    QPushButton *m_duplicate;
    QPushButton *m_remove;
    ModelPriceTester *m_tester;
    QLabel *m_status;
    QPushButton *m_reprice;
    QPushButton *m_save;
    Repricer *m_repricer;
};

} // namespace agentops::ui
