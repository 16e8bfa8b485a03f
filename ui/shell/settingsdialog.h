// SPDX-License-Identifier: MIT
#pragma once

#include "client/localbackend.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace agentops::ui {

/// Preferences of the embedded OTLP receiver (on/off, address, port); the caller applies them.
class SettingsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit SettingsDialog(
        const client::ServerSettings &settings, const QString &databasePath, QWidget *parent = nullptr);

    client::ServerSettings settings() const;

private:
    void updateState();

    QCheckBox *m_enabled;
    QLineEdit *m_host;
    QSpinBox *m_port;
    QLabel *m_endpoint;
};

} // namespace agentops::ui
