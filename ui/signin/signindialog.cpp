// SPDX-License-Identifier: MIT
#include "signin/signindialog.h"

#include "common/theme.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QStackedWidget>
#include <QStyle>
#include <QThreadPool>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <initializer_list>

namespace agentops::ui {

struct SignInDialog::Outcome
{
    std::optional<client::LoginResult> result;
    client::SourceError::Kind kind = client::SourceError::Kind::Other;
    QString error;
    client::RemoteConfig config; ///< where the request went (to sign a late session out again)
};

namespace {

bool isLoopback(const QString &host)
{
    // QUrl gives IPv6 hosts without brackets.
    return host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0 || host == QLatin1String("::1")
        || (host.startsWith(QLatin1String("127.")) && host.count(QLatin1Char('.')) == 3);
}

bool looksLikeCertificateProblem(const QString &message)
{
    static const char *const words[]
        = { "certificate", "ssl", "tls", "self-signed", "self signed", "issuer", "handshake" };
    for (const char *word : words)
        if (message.contains(QLatin1String(word), Qt::CaseInsensitive))
            return true;
    return false;
}

} // namespace

SignInDialog::SignInDialog(QWidget *parent)
    : QDialog(parent)
    , m_intro(new QLabel(this))
    , m_url(new QLineEdit(this))
    , m_urlWarning(new QLabel(this))
    , m_usePassword(new QRadioButton(tr("Email and password"), this))
    , m_useApiKey(new QRadioButton(tr("API key"), this))
    , m_method(new QButtonGroup(this))
    , m_credentials(new QStackedWidget(this))
    , m_email(new QLineEdit(this))
    , m_password(new QLineEdit(this))
    , m_apiKey(new QLineEdit(this))
    , m_caFile(new QLineEdit(this))
    , m_browseCa(new QToolButton(this))
    , m_projectLabel(new QLabel(tr("&Project:"), this))
    , m_project(new QComboBox(this))
    , m_error(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_signIn(new QPushButton(tr("&Sign In"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_offline(new QPushButton(tr("Work &Offline"), this))
    , m_remove(new QPushButton(tr("&Remove Server…"), this))
{
    setWindowTitle(tr("Sign In to a Team Server"));
    setObjectName(QStringLiteral("signInDialog"));

    m_intro->setWordWrap(true);
    m_intro->setText(tr("Sign in to an AgentOps server to read your team's traces. The sign-in is kept in "
                        "the system keychain."));

    m_url->setPlaceholderText(tr("https://agentops.example.com"));
    m_url->setClearButtonEnabled(true);
    m_url->setMinimumWidth(fontMetrics().horizontalAdvance(QLatin1Char('x')) * 56);
    m_urlWarning->setWordWrap(true);
    m_urlWarning->setVisible(false);
    m_urlWarning->setObjectName(QStringLiteral("urlWarning"));

    m_method->addButton(m_usePassword, 0);
    m_method->addButton(m_useApiKey, 1);
    m_usePassword->setChecked(true);
    auto *methods = new QWidget(this);
    auto *methodsLayout = new QHBoxLayout(methods);
    methodsLayout->setContentsMargins(0, 0, 0, 0);
    methodsLayout->addWidget(m_usePassword);
    methodsLayout->addWidget(m_useApiKey);
    methodsLayout->addStretch(1);

    m_email->setPlaceholderText(tr("you@example.com"));
    m_password->setEchoMode(QLineEdit::Password);
    m_apiKey->setEchoMode(QLineEdit::Password);
    m_apiKey->setPlaceholderText(tr("Paste the key shown when it was created"));
    auto *passwordPage = new QWidget(m_credentials);
    auto *passwordForm = new QFormLayout(passwordPage);
    passwordForm->setContentsMargins(0, 0, 0, 0);
    passwordForm->addRow(tr("&Email:"), m_email);
    passwordForm->addRow(tr("Pass&word:"), m_password);
    auto *keyPage = new QWidget(m_credentials);
    auto *keyForm = new QFormLayout(keyPage);
    keyForm->setContentsMargins(0, 0, 0, 0);
    keyForm->addRow(tr("&Key:"), m_apiKey);
    m_credentials->addWidget(passwordPage);
    m_credentials->addWidget(keyPage);

    m_caFile->setPlaceholderText(tr("Optional: CA certificate (PEM) of a private CA"));
    m_browseCa->setText(tr("Browse…"));
    m_browseCa->setToolTip(tr("Choose the CA certificate file"));
    auto *ca = new QWidget(this);
    auto *caLayout = new QHBoxLayout(ca);
    caLayout->setContentsMargins(0, 0, 0, 0);
    caLayout->addWidget(m_caFile, 1);
    caLayout->addWidget(m_browseCa);

    m_projectLabel->setBuddy(m_project);
    m_projectLabel->setVisible(false);
    m_project->setVisible(false);

    m_error->setWordWrap(true);
    m_error->setObjectName(QStringLiteral("signInError"));
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setVisible(false);
    // Red and amber of the theme, readable on the dialog in light and dark alike.
    QPalette errorPalette = m_error->palette();
    errorPalette.setColor(QPalette::WindowText, theme::errorText(palette()));
    m_error->setPalette(errorPalette);
    QPalette warningPalette = m_urlWarning->palette();
    warningPalette.setColor(QPalette::WindowText, theme::warningText(palette()));
    m_urlWarning->setPalette(warningPalette);

    m_progress->setRange(0, 0);
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(fontMetrics().height() / 2 + 2);
    m_progress->setVisible(false);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    auto *urlLabel = new QLabel(tr("Se&rver:"), this);
    urlLabel->setBuddy(m_url);
    form->addRow(urlLabel, m_url);
    form->addRow(QString(), m_urlWarning);
    form->addRow(tr("Sign in with:"), methods);
    form->addRow(m_credentials);
    auto *caLabel = new QLabel(tr("&CA file:"), this);
    caLabel->setBuddy(m_caFile);
    form->addRow(caLabel, ca);
    form->addRow(m_projectLabel, m_project);

    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_signIn, QDialogButtonBox::AcceptRole);
    buttons->addButton(m_cancel, QDialogButtonBox::RejectRole);
    buttons->addButton(m_offline, QDialogButtonBox::ResetRole);
    buttons->addButton(m_remove, QDialogButtonBox::ResetRole);
    m_remove->setObjectName(QStringLiteral("removeServerButton"));
    m_remove->setToolTip(tr("Forget this server and delete its sign-in from the keychain"));
    m_remove->setVisible(false);
    connect(m_remove, &QPushButton::clicked, this, &SignInDialog::removeRequested);
    m_signIn->setDefault(true);
    m_offline->setToolTip(tr("Close and keep using the traces stored on this computer"));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_intro);
    layout->addSpacing(4);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_progress);
    layout->addStretch(1);
    layout->addWidget(buttons);
    layout->setSizeConstraint(QLayout::SetMinimumSize);

    connect(m_signIn, &QPushButton::clicked, this, &SignInDialog::signIn);
    connect(m_cancel, &QPushButton::clicked, this, &SignInDialog::reject);
    connect(m_offline, &QPushButton::clicked, this, [this] {
        m_workOffline = true;
        cancelSignIn();
        QDialog::reject();
    });
    connect(m_method, &QButtonGroup::idToggled, this, [this](int, bool checked) {
        if (checked)
            updateMethod();
    });
    connect(m_url, &QLineEdit::textChanged, this, &SignInDialog::updateUrlWarning);
    connect(m_browseCa, &QToolButton::clicked, this, &SignInDialog::chooseCaFile);
    updateMethod();
}

SignInDialog::~SignInDialog() = default;

void SignInDialog::setServer(const client::SavedServer &server)
{
    m_url->setText(server.url);
    m_server = server;
    if (server.usesApiKey()) {
        m_useApiKey->setChecked(true);
    } else {
        m_usePassword->setChecked(true);
        m_email->setText(server.account);
    }
    m_caFile->setText(server.caFile);
    m_remove->setVisible(!server.url.isEmpty());
    updateMethod();
    if (!server.usesApiKey() && !server.account.isEmpty())
        m_password->setFocus();
}

void SignInDialog::setIntro(const QString &text)
{
    m_intro->setText(text);
}

QString SignInDialog::urlProblem(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return tr("Enter the server's address, e.g. https://agentops.example.com.");
    const QUrl url(trimmed, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != QLatin1String("http") && scheme != QLatin1String("https")))
        return tr("“%1” is not a server address: it must start with https:// (or http://).").arg(trimmed);
    if (url.host().isEmpty())
        return tr("“%1” names no host.").arg(trimmed);
    if (client::SavedServers::normalizeUrl(trimmed).isEmpty())
        return tr("“%1” is not a valid server address.").arg(trimmed);
    return {};
}

bool SignInDialog::isInsecure(const QString &text)
{
    const QUrl url(text.trimmed());
    return url.scheme().compare(QLatin1String("http"), Qt::CaseInsensitive) == 0 && !url.host().isEmpty()
        && !isLoopback(url.host());
}

void SignInDialog::updateUrlWarning()
{
    if (isInsecure(m_url->text())) {
        m_urlWarning->setText(tr("⚠ Plain http: the password and the session token cross the network "
                                 "unencrypted. Use https unless the network is trusted."));
        m_urlWarning->setVisible(true);
    } else {
        m_urlWarning->clear();
        m_urlWarning->setVisible(false);
    }
}

void SignInDialog::updateMethod()
{
    const bool key = m_useApiKey->isChecked();
    m_credentials->setCurrentIndex(key ? 1 : 0);
    // The stack is as tall as its current page, so switching does not leave a gap.
    for (int i = 0; i < m_credentials->count(); ++i)
        m_credentials->widget(i)->setSizePolicy(
            QSizePolicy::Preferred, i == m_credentials->currentIndex() ? QSizePolicy::Preferred : QSizePolicy::Ignored);
    m_credentials->adjustSize();
}

void SignInDialog::chooseCaFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("CA Certificate"),
        m_caFile->text().isEmpty() ? QString() : QFileInfo(m_caFile->text()).absolutePath(),
        tr("Certificates (*.pem *.crt *.cer);;All files (*)"));
    if (!path.isEmpty())
        m_caFile->setText(path);
}

client::RemoteConfig SignInDialog::config() const
{
    client::RemoteConfig config;
    config.base_url = client::SavedServers::normalizeUrl(m_url->text()).toStdString();
    config.ca_file = m_caFile->text().trimmed().toStdString();
    // The user is waiting for an answer: fail fast rather than retry for long.
    config.max_retries = 1;
    config.connect_timeout = std::chrono::milliseconds(5000);
    config.total_timeout = std::chrono::milliseconds(20000);
    return config;
}

void SignInDialog::showError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
    if (!message.isEmpty())
        Q_EMIT signInFailed(message);
}

void SignInDialog::setBusy(bool busy)
{
    if (m_busy == busy)
        return;
    m_busy = busy;
    m_progress->setVisible(busy);
    const std::initializer_list<QWidget *> fields
        = { m_url, m_usePassword, m_useApiKey, m_credentials, m_caFile, m_browseCa, m_project, m_signIn, m_remove };
    for (QWidget *w : fields)
        w->setEnabled(!busy);
    m_signIn->setText(busy ? tr("Signing In…") : (m_choosingProject ? tr("&Continue") : tr("&Sign In")));
    Q_EMIT busyChanged(busy);
}

void SignInDialog::signIn()
{
    if (m_busy)
        return;
    if (m_choosingProject) {
        finishWithProject();
        return;
    }
    if (const QString problem = urlProblem(m_url->text()); !problem.isEmpty()) {
        showError(problem);
        m_url->setFocus();
        return;
    }
    const bool useKey = m_useApiKey->isChecked();
    const QString email = m_email->text().trimmed();
    const QString password = m_password->text();
    const QString key = m_apiKey->text().trimmed();
    if (useKey && key.isEmpty()) {
        showError(tr("Enter the API key."));
        m_apiKey->setFocus();
        return;
    }
    if (!useKey && (email.isEmpty() || password.isEmpty())) {
        showError(email.isEmpty() ? tr("Enter your email address.") : tr("Enter your password."));
        (email.isEmpty() ? m_email : m_password)->setFocus();
        return;
    }
    const QString caFile = m_caFile->text().trimmed();
    if (!caFile.isEmpty() && !QFileInfo(caFile).isReadable()) {
        showError(tr("The CA file %1 cannot be read.").arg(caFile));
        m_caFile->setFocus();
        return;
    }

    showError({});
    setBusy(true);
    const quint64 generation = ++m_generation;
    client::RemoteConfig config = this->config();
    if (useKey)
        config.token = key.toStdString();
    auto *watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcher<Outcome>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        finished(generation, watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(QThreadPool::globalInstance(),
        [config, useKey, email = email.toStdString(), password = password.toStdString()]() {
            Outcome outcome;
            outcome.config = config;
            try {
                if (useKey) {
                    client::LoginResult result;
                    result.identity = client::RemoteAuth::me(config);
                    result.token = config.token;
                    outcome.result = std::move(result);
                } else {
                    outcome.result = client::RemoteAuth::login(config, email, password);
                }
            } catch (const client::SourceError &e) {
                outcome.kind = e.kind();
                outcome.error = QString::fromUtf8(e.what());
            } catch (const std::exception &e) {
                outcome.error = QString::fromUtf8(e.what());
            }
            return outcome;
        }));
}

void SignInDialog::cancelSignIn()
{
    if (!m_busy)
        return;
    // The request cannot be taken back; its answer is ignored (and a late session signed out).
    ++m_generation;
    setBusy(false);
    showError({});
    m_error->setText(tr("Sign-in cancelled."));
    m_error->setVisible(true);
}

void SignInDialog::reject()
{
    if (m_busy) {
        cancelSignIn();
        return;
    }
    QDialog::reject();
}

void SignInDialog::finished(quint64 generation, const Outcome &outcome)
{
    if (generation != m_generation) {
        if (outcome.result && !outcome.result->identity.api_key && outcome.config.token.empty()) {
            client::RemoteConfig config = outcome.config;
            config.token = outcome.result->token;
            (void)QtConcurrent::run(QThreadPool::globalInstance(), [config] {
                try {
                    client::RemoteAuth::logout(config);
                } catch (const std::exception &) { }
            });
        }
        return;
    }
    setBusy(false);
    const QString url = client::SavedServers::normalizeUrl(m_url->text());
    if (!outcome.result) {
        using Kind = client::SourceError::Kind;
        QString message;
        switch (outcome.kind) {
        case Kind::Unauthorized:
            message = m_useApiKey->isChecked()
                ? tr("The server did not accept this API key (wrong, revoked or expired).")
                : tr("Wrong email or password.");
            (m_useApiKey->isChecked() ? m_apiKey : m_password)->setFocus();
            (m_useApiKey->isChecked() ? m_apiKey : m_password)->selectAll();
            break;
        case Kind::Forbidden: message = tr("This account may not use the server: %1").arg(outcome.error); break;
        case Kind::Offline:
            if (looksLikeCertificateProblem(outcome.error))
                message = tr("The server's certificate is not trusted (%1). If the server uses a private "
                             "certificate authority, choose its CA file.")
                              .arg(outcome.error);
            else if (outcome.error.contains(url))
                // The message names the server already ("cannot reach <url>: connection refused").
                message = outcome.error.left(1).toUpper() + outcome.error.mid(1);
            else
                message = tr("Cannot reach %1: %2").arg(url, outcome.error);
            break;
        case Kind::Server: message = tr("The server reported an error: %1").arg(outcome.error); break;
        case Kind::Cancelled: message = tr("Sign-in cancelled."); break;
        case Kind::Other: message = tr("Sign-in failed: %1").arg(outcome.error); break;
        }
        showError(message);
        return;
    }

    m_token = QString::fromStdString(outcome.result->token);
    m_identity = outcome.result->identity;
    const bool key = m_useApiKey->isChecked();
    client::SavedServer server;
    server.url = url;
    server.account = key ? client::SavedServer::apiKeyAccount() : m_email->text().trimmed();
    server.caFile = m_caFile->text().trimmed();
    // Keep the name and project of the server being signed in to again.
    if (m_server.url == server.url) {
        server.name = m_server.name;
        server.project = m_server.project;
    }
    m_server = server;

    const auto &projects = m_identity.projects;
    if (projects.size() > 1 && !m_identity.api_key) {
        showProjects(projects, server.project);
        return;
    }
    m_server.project = projects.size() == 1 ? QString::fromStdString(projects.front().name) : QString();
    QDialog::accept();
}

void SignInDialog::showProjects(const std::vector<client::RemoteProject> &projects, const QString &preferred)
{
    m_project->clear();
    for (const auto &project : projects)
        m_project->addItem(QString::fromStdString(project.name));
    const int index = m_project->findText(preferred);
    m_project->setCurrentIndex(index >= 0 ? index : 0);
    m_projectLabel->setVisible(true);
    m_project->setVisible(true);
    m_choosingProject = true;
    const std::initializer_list<QWidget *> fields
        = { m_url, m_usePassword, m_useApiKey, m_credentials, m_caFile, m_browseCa };
    for (QWidget *w : fields)
        w->setEnabled(false);
    m_signIn->setText(tr("&Continue"));
    m_error->setText(tr("Signed in. This account has %1 projects: choose the one to show.").arg(projects.size()));
    m_error->setVisible(true);
    QPalette palette = m_error->palette();
    palette.setColor(QPalette::WindowText, this->palette().color(QPalette::WindowText));
    m_error->setPalette(palette);
    m_project->setFocus();
}

void SignInDialog::finishWithProject()
{
    m_server.project = m_project->currentText();
    QDialog::accept();
}

} // namespace agentops::ui
