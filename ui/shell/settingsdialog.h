// SPDX-License-Identifier: MIT
#pragma once

#include "client/localbackend.h"
#include "client/storagemonitor.h"
#include "common/theme.h"
#include "store/tracestore.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTabWidget;

namespace agentops::ui {

class RedactionSettings;

/// Preferences of the embedded OTLP receiver (on/off, address, the OTLP/HTTP port, OTLP/gRPC on/off
/// and its port, redaction of what it receives), which the caller applies; the colour theme, which
/// applies as soon as it is chosen (Cancel restores the one before) and is stored on OK; the
/// interface language, which the dialog stores itself and which takes effect at the next start; and
/// how long and how much the database keeps (retention by age and by size), which the caller
/// applies. The Alerts tab edits the alert rules of the local database (written at once, rule by rule).
class SettingsDialog : public QDialog
{
    Q_OBJECT

public:
    /// alertStore: the database whose alert rules the Alerts tab edits; null: none to edit.
    explicit SettingsDialog(const client::ServerSettings &settings, const QString &databasePath,
        QWidget *parent = nullptr, store::TraceStore *alertStore = nullptr);

    client::ServerSettings settings() const;
    /// Shows the retention in force and what the database takes now (nullopt: not looked at yet).
    void setStorage(const client::RetentionSettings &retention, const std::optional<client::StorageStatus> &status);
    client::RetentionSettings retention() const;
    QSpinBox *retentionDaysBox() const { return m_retentionDays; }
    QDoubleSpinBox *retentionSizeBox() const { return m_retentionGiB; }
    QLabel *storageSizeLabel() const { return m_storageSize; }
    /// The chosen language code ("en", "de", ...), or "" for the system's language.
    QString language() const;
    theme::Choice themeChoice() const;
    QComboBox *themeBox() const { return m_theme; }
    QTabWidget *tabs() const { return m_tabs; }
    /// Opens on the Alerts tab.
    void showAlertsTab();
    RedactionSettings *redaction() const { return m_redaction; }
    /// What redaction replaced since the app started (LocalBackend::redactionCounts()).
    void setRedactionCounts(const QList<QPair<QString, quint64>> &counts);

    void accept() override;
    void reject() override;

private:
    void updateState();

    QCheckBox *m_enabled;
    QLineEdit *m_host;
    QSpinBox *m_port;
    QCheckBox *m_grpcEnabled;
    QSpinBox *m_grpcPort;
    QLabel *m_endpoint;
    QDialogButtonBox *m_buttons;
    QSpinBox *m_retentionDays;
    QDoubleSpinBox *m_retentionGiB;
    QLabel *m_storageSize;
    QComboBox *m_language;
    QComboBox *m_theme;
    QTabWidget *m_tabs;
    RedactionSettings *m_redaction;
    theme::Choice m_themeBefore;
    QWidget *m_alertsTab;
};

} // namespace agentops::ui
