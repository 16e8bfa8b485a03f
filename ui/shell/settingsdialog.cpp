// SPDX-License-Identifier: MIT
#include "shell/settingsdialog.h"

#include "alerts/alertrulespage.h"
#include "common/format.h"
#include "common/translations.h"
#include "shell/redactionsettings.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTabBar>
#include <QTabWidget>
#include <QVBoxLayout>

#include <cmath>

namespace agentops::ui {

SettingsDialog::SettingsDialog(
    const client::ServerSettings &settings, const QString &databasePath, QWidget *parent, store::TraceStore *alertStore)
    : QDialog(parent)
    , m_enabled(new QCheckBox(tr("Receive traces from agents on this computer"), this))
    , m_host(new QLineEdit(settings.host, this))
    , m_port(new QSpinBox(this))
    , m_grpcEnabled(new QCheckBox(tr("OTLP/gRPC port:"), this))
    , m_grpcPort(new QSpinBox(this))
    , m_endpoint(new QLabel(this))
    , m_retentionDays(new QSpinBox(this))
    , m_retentionGiB(new QDoubleSpinBox(this))
    , m_storageSize(new QLabel(this))
    , m_language(new QComboBox(this))
    , m_theme(new QComboBox(this))
    , m_tabs(new QTabWidget(this))
    , m_redaction(new RedactionSettings(settings.redact, settings.redactionRules, this))
    , m_themeBefore(theme::current())
    , m_alertsTab(nullptr)
{
    setWindowTitle(tr("Settings"));
    m_enabled->setChecked(settings.enabled);
    m_host->setToolTip(tr("127.0.0.1 accepts only this computer; 0.0.0.0 accepts the whole network, without "
                          "authentication."));
    m_port->setRange(1, 65535);
    m_port->setValue(settings.port > 0 ? settings.port : 4318);
    m_port->setGroupSeparatorShown(false);
    m_grpcEnabled->setChecked(settings.grpcEnabled);
    m_grpcEnabled->setToolTip(tr("Also receive OTLP/gRPC (OTEL_EXPORTER_OTLP_PROTOCOL=grpc) on the same address."));
    m_grpcPort->setRange(1, 65535);
    m_grpcPort->setValue(settings.grpcPort > 0 ? settings.grpcPort : 4317);
    m_grpcPort->setGroupSeparatorShown(false);
    m_endpoint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_endpoint->setWordWrap(true);

    auto *group = new QGroupBox(tr("Embedded receiver"), this);
    auto *form = new QFormLayout(group);
    form->addRow(m_enabled);
    form->addRow(tr("Address:"), m_host);
    form->addRow(tr("OTLP/HTTP port:"), m_port);
    form->addRow(m_grpcEnabled, m_grpcPort);
    form->addRow(m_endpoint);

    auto *storage = new QGroupBox(tr("Storage"), this);
    auto *storageForm = new QFormLayout(storage);
    auto *path = new QLabel(databasePath, storage);
    path->setTextInteractionFlags(Qt::TextSelectableByMouse);
    path->setWordWrap(true);
    storageForm->addRow(tr("Database:"), path);
    m_storageSize->setObjectName(QStringLiteral("storageSize"));
    m_storageSize->setWordWrap(true);
    m_storageSize->setTextInteractionFlags(Qt::TextSelectableByMouse);
    storageForm->addRow(tr("Size:"), m_storageSize);
    // 0 is "keep": the special value reads as words, not as a limit of nothing.
    m_retentionDays->setObjectName(QStringLiteral("retentionDays"));
    m_retentionDays->setRange(0, 36500);
    m_retentionDays->setSpecialValueText(tr("Keep all"));
    m_retentionDays->setSuffix(tr(" days"));
    m_retentionDays->setToolTip(tr("Traces that started longer ago than this are deleted, whole (hourly)."));
    storageForm->addRow(tr("Delete traces older than:"), m_retentionDays);
    m_retentionGiB->setObjectName(QStringLiteral("retentionSize"));
    m_retentionGiB->setRange(0, 100000);
    m_retentionGiB->setDecimals(1);
    m_retentionGiB->setSingleStep(0.5);
    m_retentionGiB->setSpecialValueText(tr("No limit"));
    m_retentionGiB->setSuffix(tr(" GiB"));
    m_retentionGiB->setToolTip(tr("Counted: the database, its logs and the search index's share of the traces. "
                                  "Above this size the oldest traces are deleted, whole, until what is counted "
                                  "is below 90 % of it; the space they took is reused for new traces (the files "
                                  "do not shrink)."));
    storageForm->addRow(tr("Keep the files within:"), m_retentionGiB);

    auto *language = new QGroupBox(tr("Language"), this);
    auto *languageForm = new QFormLayout(language);
    m_language->addItem(tr("System default"), QString());
    const QList<translations::Language> languages = translations::available();
    for (const translations::Language &l : languages)
        m_language->addItem(l.nativeName, l.code);
    const int current = m_language->findData(translations::configuredLanguage());
    m_language->setCurrentIndex(current < 0 ? 0 : current);
    auto *languageNote = new QLabel(tr("A new language takes effect the next time AgentOps Monitor starts."), language);
    languageNote->setWordWrap(true);
    languageForm->addRow(tr("Interface language:"), m_language);
    languageForm->addRow(languageNote);

    // The theme shows at once, in this dialog too, so that one can judge it before keeping it.
    auto *appearance = new QGroupBox(tr("Appearance"), this);
    auto *appearanceForm = new QFormLayout(appearance);
    m_theme->setObjectName(QStringLiteral("themeBox"));
    for (theme::Choice choice : theme::Choices)
        m_theme->addItem(choice == theme::Choice::System ? tr("System (follow the desktop)") : theme::name(choice),
            static_cast<int>(choice));
    m_theme->setCurrentIndex(m_theme->findData(static_cast<int>(m_themeBefore)));
    connect(m_theme, &QComboBox::currentIndexChanged, this, [this] { theme::apply(themeChoice()); });
    appearanceForm->addRow(tr("Theme:"), m_theme);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *general = new QWidget(m_tabs);
    auto *generalLayout = new QVBoxLayout(general);
    generalLayout->addWidget(group);
    generalLayout->addWidget(storage);
    generalLayout->addWidget(language);
    generalLayout->addWidget(appearance);
    generalLayout->addStretch(1);
    m_tabs->setObjectName(QStringLiteral("settingsTabs"));
    m_tabs->addTab(general, tr("&General"));
    m_tabs->addTab(m_redaction, tr("Redaction"));
    connect(m_redaction, &RedactionSettings::validityChanged, this, &SettingsDialog::updateState);
    m_alertsTab = new AlertRulesPage(alertStore, m_tabs);
    m_tabs->addTab(m_alertsTab, tr("A&lerts"));
    // Tab in reading order: the pages' tabs, then the page shown (the others' controls are hidden).
    QList<QWidget *> order { m_tabs->tabBar(), m_enabled, m_host, m_port, m_grpcEnabled, m_grpcPort, m_retentionDays,
        m_retentionGiB, m_language, m_theme };
    order += m_redaction->focusOrder();
    for (qsizetype i = 1; i < order.size(); ++i)
        QWidget::setTabOrder(order[i - 1], order[i]);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_buttons);

    connect(m_enabled, &QCheckBox::toggled, this, &SettingsDialog::updateState);
    connect(m_host, &QLineEdit::textChanged, this, &SettingsDialog::updateState);
    connect(m_port, &QSpinBox::valueChanged, this, &SettingsDialog::updateState);
    connect(m_grpcEnabled, &QCheckBox::toggled, this, &SettingsDialog::updateState);
    connect(m_grpcPort, &QSpinBox::valueChanged, this, &SettingsDialog::updateState);
    updateState();
    resize(520, sizeHint().height());
}

void SettingsDialog::showAlertsTab()
{
    if (m_alertsTab)
        m_tabs->setCurrentWidget(m_alertsTab);
}

void SettingsDialog::updateState()
{
    const bool on = m_enabled->isChecked();
    const bool grpc = on && m_grpcEnabled->isChecked();
    m_host->setEnabled(on);
    m_port->setEnabled(on);
    m_grpcEnabled->setEnabled(on);
    m_grpcPort->setEnabled(grpc);
    const bool clash = grpc && m_grpcPort->value() == m_port->value();
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!clash && m_redaction->valid());
    if (!on) {
        m_endpoint->setText(tr("Receiving is off; stored traces stay available."));
        return;
    }
    if (clash) {
        m_endpoint->setText(tr("OTLP/HTTP and OTLP/gRPC need ports of their own."));
        return;
    }
    QString host = m_host->text().trimmed().toHtmlEscaped();
    if (host.contains(QLatin1Char(':')))
        host = u'[' + host + u']';
    const QString text = grpc
        ? tr("Exporters send to <b>http://%1:%2/v1/traces</b> (OTLP/HTTP)<br>or <b>http://%1:%3</b> (OTLP/gRPC)")
              .arg(host, QString::number(m_port->value()), QString::number(m_grpcPort->value()))
        : tr("Exporters send to: <b>http://%1:%2/v1/traces</b>").arg(host).arg(m_port->value());
    m_endpoint->setText(text);
}

client::ServerSettings SettingsDialog::settings() const
{
    client::ServerSettings s;
    s.enabled = m_enabled->isChecked();
    s.host = m_host->text().trimmed();
    if (s.host.isEmpty())
        s.host = QStringLiteral("127.0.0.1");
    s.port = m_port->value();
    s.grpcEnabled = m_grpcEnabled->isChecked();
    s.grpcPort = m_grpcPort->value();
    s.redact = m_redaction->isRedacting();
    s.redactionRules = m_redaction->rulesJson();
    return s;
}

void SettingsDialog::setRedactionCounts(const QList<QPair<QString, quint64>> &counts)
{
    m_redaction->setCounts(counts);
}

void SettingsDialog::setStorage(
    const client::RetentionSettings &retention, const std::optional<client::StorageStatus> &status)
{
    m_retentionDays->setValue(retention.days);
    m_retentionGiB->setValue(static_cast<double>(retention.maxBytes) / double(1ull << 30));
    if (!status) {
        m_storageSize->setText(tr("Not measured yet"));
        return;
    }
    // No break between a figure and its unit where the label wraps.
    auto bytes = [](std::uint64_t n) { return format::bytes(n).replace(QLatin1Char(' '), QChar(0x00A0)); };
    const QString size = tr("%1 (database %2, search index %3)")
                             .arg(bytes(status->files.total()), bytes(status->files.database + status->files.wal),
                                 bytes(status->files.search + status->files.search_wal));
    m_storageSize->setText(
        status->disk ? tr("%1; %2 free on its disk").arg(size, bytes(status->disk->free_bytes)) : size);
}

client::RetentionSettings SettingsDialog::retention() const
{
    client::RetentionSettings r;
    r.days = m_retentionDays->value();
    r.maxBytes = static_cast<std::uint64_t>(std::llround(m_retentionGiB->value() * double(1ull << 30)));
    return r;
}

QString SettingsDialog::language() const
{
    return m_language->currentData().toString();
}

theme::Choice SettingsDialog::themeChoice() const
{
    return static_cast<theme::Choice>(m_theme->currentData().toInt());
}

void SettingsDialog::accept()
{
    translations::setConfiguredLanguage(language());
    theme::setConfigured(themeChoice());
    if (theme::current() != themeChoice())
        theme::apply(themeChoice());
    QDialog::accept();
}

void SettingsDialog::reject()
{
    if (theme::current() != m_themeBefore)
        theme::apply(m_themeBefore);
    QDialog::reject();
}

} // namespace agentops::ui
