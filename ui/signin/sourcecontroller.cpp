// SPDX-License-Identifier: MIT
#include "signin/sourcecontroller.h"

#include "client/credentialstore.h"
#include "client/remotesource.h"
#include "client/sourcemanager.h"
#include "signin/connectionbanner.h"
#include "signin/signindialog.h"

#include <QAction>
#include <QActionGroup>
#include <QFutureWatcher>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QStyle>
#include <QStyleOptionToolButton>
#include <QStylePainter>
#include <QThreadPool>
#include <QToolButton>
#include <QtConcurrent/QtConcurrentRun>

namespace agentops::ui {

namespace {

client::RemoteConfig configFor(const client::SavedServer &server, const QString &token)
{
    client::RemoteConfig config;
    config.base_url = server.url.toStdString();
    config.token = token.toStdString();
    config.project = server.project.toStdString();
    config.ca_file = server.caFile.toStdString();
    return config;
}

/// The source switcher: a tool button with a menu, drawn without the style's menu indicator, which
/// sits under the text in a tool bar; its text ends in an arrow instead. (A style sheet hiding the
/// indicator would also fix the button's palette at the one of its polish: after a live theme
/// switch its text kept the old theme's colour.)
class SwitcherButton : public QToolButton
{
public:
    using QToolButton::QToolButton;

protected:
    void paintEvent(QPaintEvent *) override
    {
        QStylePainter painter(this);
        QStyleOptionToolButton option;
        initStyleOption(&option);
        option.features &= ~QStyleOptionToolButton::HasMenu;
        painter.drawComplexControl(QStyle::CC_ToolButton, option);
    }
};

struct CheckOutcome
{
    bool ok = false;
    client::SourceError::Kind kind = client::SourceError::Kind::Other;
    QString error;
};

} // namespace

SourceController::SourceController(client::SourceManager *manager, QWidget *window)
    : QObject(window)
    , m_manager(manager)
    , m_window(window)
    , m_credentials(new client::CredentialStore(this))
    , m_switcher(new SwitcherButton(window))
    , m_menu(new QMenu(window))
    , m_banner(new ConnectionBanner(window))
{
    m_switcher->setObjectName(QStringLiteral("sourceSwitcher"));
    m_switcher->setPopupMode(QToolButton::InstantPopup);
    m_switcher->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_switcher->setMenu(m_menu);
    m_switcher->setToolTip(tr("Where the traces come from: this computer or a team server"));

    // Queued: the switch may come from one of the menu's own actions, which the rebuild deletes.
    connect(
        m_manager, &client::SourceManager::sourceChanged, this, &SourceController::rebuildMenu, Qt::QueuedConnection);
    connect(m_manager, &client::SourceManager::stateChanged, this, &SourceController::updateBanner);
    connect(m_manager, &client::SourceManager::retryCountdown, this, &SourceController::updateBanner);
    connect(m_manager, &client::SourceManager::unauthorized, this, [this] {
        const auto server = currentServer();
        if (!server)
            return;
        promptSignIn(server,
            tr("Your session on %1 has ended. Sign in again to go on where you were.").arg(server->displayName()));
    });
    connect(m_banner, &ConnectionBanner::retryRequested, m_manager, &client::SourceManager::retryNow);
    connect(m_banner, &ConnectionBanner::signInRequested, this, &SourceController::signInAgain);
    connect(m_credentials, &client::CredentialStore::failed, this,
        [this](const QString &message) { Q_EMIT statusMessage(message, 15000); });
    rebuildMenu();
}

SourceController::~SourceController() = default;

std::optional<client::SavedServer> SourceController::currentServer() const
{
    if (m_manager->isLocal())
        return std::nullopt;
    return m_saved.find(m_manager->currentId());
}

void SourceController::start()
{
    const QString last = m_saved.lastUsed();
    if (last.isEmpty()) {
        Q_EMIT startupFinished();
        return;
    }
    const auto server = m_saved.find(last);
    if (!server) {
        m_saved.setLastUsed({});
        Q_EMIT startupFinished();
        return;
    }
    connectSaved(*server, true);
}

void SourceController::switchTo(const QString &id)
{
    ++m_checkGeneration;
    if (id.isEmpty()) {
        if (!m_manager->isLocal())
            m_manager->useLocal();
        m_saved.setLastUsed({});
        Q_EMIT statusMessage(tr("Showing the traces stored on this computer"), 5000);
        return;
    }
    const auto server = m_saved.find(id);
    if (!server)
        return;
    connectSaved(*server, true);
}

void SourceController::connectSaved(const client::SavedServer &server, bool announce)
{
    const quint64 generation = ++m_checkGeneration;
    if (announce)
        Q_EMIT statusMessage(tr("Signing in to %1…").arg(server.displayName()), 0);
    m_credentials->read(server.credentialKey(), [this, server, generation](const client::CredentialStore::Result &r) {
        if (generation != m_checkGeneration)
            return;
        if (r.status == client::CredentialStore::Status::Ok && !r.secret.isEmpty()) {
            check(server, r.secret);
            return;
        }
        // No saved sign-in (signed out, or the keychain cannot be read): ask for one.
        Q_EMIT statusMessage(r.succeeded() ? QString() : r.message, r.succeeded() ? 1 : 15000);
        promptSignIn(server,
            r.succeeded() ? tr("Sign in to %1.").arg(server.displayName())
                          : tr("The saved sign-in for %1 could not be read from the keychain (%2). Sign in again.")
                                .arg(server.displayName(), r.message));
        Q_EMIT startupFinished();
    });
}

void SourceController::check(const client::SavedServer &server, const QString &token)
{
    const quint64 generation = m_checkGeneration;
    auto *watcher = new QFutureWatcher<CheckOutcome>(this);
    connect(watcher, &QFutureWatcher<CheckOutcome>::finished, this, [this, watcher, server, token, generation] {
        watcher->deleteLater();
        if (generation != m_checkGeneration)
            return;
        const CheckOutcome outcome = watcher->result();
        using Kind = client::SourceError::Kind;
        if (outcome.ok) {
            activate(server, token);
            Q_EMIT statusMessage(tr("Signed in to %1").arg(server.displayName()), 5000);
        } else if (outcome.kind == Kind::Unauthorized) {
            Q_EMIT statusMessage({}, 1);
            promptSignIn(
                server, tr("The saved sign-in for %1 is no longer valid. Sign in again.").arg(server.displayName()));
        } else {
            // Unreachable or failing: stay on the server; the pages' requests report the state and
            // retry on their own.
            activate(server, token);
            Q_EMIT statusMessage(tr("%1: %2").arg(server.displayName(), outcome.error), 10000);
        }
        Q_EMIT startupFinished();
    });
    client::RemoteConfig config = configFor(server, token);
    config.max_retries = 1;
    watcher->setFuture(QtConcurrent::run(QThreadPool::globalInstance(), [config] {
        CheckOutcome outcome;
        try {
            client::RemoteAuth::me(config);
            outcome.ok = true;
        } catch (const client::SourceError &e) {
            outcome.kind = e.kind();
            outcome.error = QString::fromUtf8(e.what());
        } catch (const std::exception &e) {
            outcome.error = QString::fromUtf8(e.what());
        }
        return outcome;
    }));
}

void SourceController::activate(const client::SavedServer &server, const QString &token)
{
    auto source = std::make_shared<client::RemoteSource>(configFor(server, token));
    std::weak_ptr<client::RemoteSource> weak = source;
    m_manager->setSource(source, server.id(), server.displayName(), [weak] {
        if (auto s = weak.lock())
            s->cancelAll();
    });
    m_saved.setLastUsed(server.id());
}

void SourceController::addServer()
{
    promptSignIn(std::nullopt, {});
}

void SourceController::signInAgain()
{
    promptSignIn(currentServer(), {});
}

void SourceController::promptSignIn(const std::optional<client::SavedServer> &server, const QString &intro)
{
    // One dialog at a time, however many requests were refused.
    if (m_dialog) {
        m_dialog->raise();
        m_dialog->activateWindow();
        return;
    }
    auto *dialog = new SignInDialog(m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (server)
        dialog->setServer(*server);
    if (!intro.isEmpty())
        dialog->setIntro(intro);
    m_dialog = dialog;
    if (server && m_saved.find(server->id()))
        connect(dialog, &SignInDialog::removeRequested, this, [this, id = server->id()] { confirmRemoveServer(id); });
    connect(dialog, &QDialog::finished, this, [this, dialog](int result) {
        if (result == QDialog::Accepted) {
            const client::SavedServer signedIn = dialog->server();
            const QString token = dialog->token();
            m_saved.save(signedIn);
            m_credentials->write(signedIn.credentialKey(), token, [this, signedIn](const auto &r) {
                if (!r.succeeded())
                    Q_EMIT statusMessage(tr("Signed in to %1, but the keychain could not keep the sign-in: %2")
                                             .arg(signedIn.displayName(), r.message),
                        15000);
            });
            ++m_checkGeneration;
            activate(signedIn, token);
            Q_EMIT statusMessage(tr("Signed in to %1").arg(signedIn.displayName()), 5000);
        } else if (dialog->workOffline()) {
            switchTo({});
        }
        rebuildMenu();
    });
    dialog->open();
}

void SourceController::signOut()
{
    const auto server = currentServer();
    if (!server)
        return;
    ++m_checkGeneration;
    if (auto remote = std::dynamic_pointer_cast<client::RemoteSource>(m_manager->current());
        remote && !server->usesApiKey()) {
        // Best effort: the session ends on the server too when it can be reached.
        const client::RemoteConfig config = remote->config();
        (void)QtConcurrent::run(QThreadPool::globalInstance(), [config] {
            try {
                client::RemoteAuth::logout(config);
            } catch (const std::exception &) { }
        });
    }
    m_credentials->remove(server->credentialKey());
    m_manager->useLocal();
    m_saved.setLastUsed({});
    Q_EMIT statusMessage(tr("Signed out of %1").arg(server->displayName()), 5000);
}

void SourceController::confirmRemoveServer(const QString &id)
{
    const auto server = m_saved.find(id);
    if (!server)
        return;
    // Over the sign-in dialog when the question comes from there, else over the window.
    QWidget *parent = m_dialog ? static_cast<QWidget *>(m_dialog) : m_window;
    auto *box = new QMessageBox(QMessageBox::Question, tr("Remove Server"),
        tr("Remove %1 (%2) from the saved servers?").arg(server->displayName(), server->account), QMessageBox::NoButton,
        parent);
    box->setObjectName(QStringLiteral("removeServerQuestion"));
    box->setInformativeText(tr("Its sign-in is deleted from the system keychain. The traces stay on the server; "
                               "sign in again to see them."));
    auto *yes = box->addButton(tr("Remove"), QMessageBox::DestructiveRole);
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, yes, id] {
        if (box->clickedButton() != yes)
            return;
        if (m_dialog)
            m_dialog->reject();
        removeServer(id);
    });
    box->open();
}

void SourceController::removeServer(const QString &id)
{
    const auto server = m_saved.find(id);
    if (!server)
        return;
    const bool current = m_manager->currentId() == id;
    if (current) {
        ++m_checkGeneration;
        m_manager->useLocal();
    }
    m_saved.remove(id);
    // The keychain entry goes too; a session token is ended on the server first (best effort).
    m_credentials->read(server->credentialKey(), [this, server = *server](const client::CredentialStore::Result &r) {
        if (r.status == client::CredentialStore::Status::Ok && !r.secret.isEmpty())
            endSession(server, r.secret);
        m_credentials->remove(server.credentialKey(), [this, server](const client::CredentialStore::Result &removed) {
            if (removed.succeeded())
                Q_EMIT statusMessage(tr("Removed %1 and its saved sign-in").arg(server.displayName()), 5000);
            else
                Q_EMIT statusMessage(tr("Removed %1, but its sign-in could not be deleted from the keychain: %2")
                                         .arg(server.displayName(), removed.message),
                    15000);
            Q_EMIT serverRemoved(server.id(), removed.succeeded());
        });
    });
    rebuildMenu();
}

void SourceController::endSession(const client::SavedServer &server, const QString &token)
{
    if (server.usesApiKey())
        return; // an API key is the admin's to revoke, not the app's
    const client::RemoteConfig config = configFor(server, token);
    (void)QtConcurrent::run(QThreadPool::globalInstance(), [config] {
        try {
            client::RemoteAuth::logout(config);
        } catch (const std::exception &) { }
    });
}

void SourceController::updateBanner()
{
    using State = client::SourceManager::State;
    const QString name = m_manager->displayName();
    switch (m_manager->state()) {
    case State::Ok: m_banner->clear(); break;
    case State::Offline: m_banner->showOffline(name, m_manager->retryInSeconds(), m_manager->stateMessage()); break;
    case State::Unauthorized: m_banner->showUnauthorized(name); break;
    case State::Forbidden: m_banner->showForbidden(name, m_manager->stateMessage()); break;
    case State::ServerError: m_banner->showServerError(name, m_manager->stateMessage()); break;
    }
}

void SourceController::rebuildMenu()
{
    m_menu->clear();
    // clear() leaves submenus alive: they go with their actions (later: one may be running).
    const auto submenus = m_menu->findChildren<QMenu *>(QString(), Qt::FindDirectChildrenOnly);
    for (QMenu *submenu : submenus) {
        submenu->setObjectName(QString());
        submenu->deleteLater();
    }
    auto *group = new QActionGroup(m_menu);
    auto addSource = [this, group](const QString &text, const QString &id) {
        auto *action = m_menu->addAction(text, this, [this, id] { switchTo(id); });
        action->setCheckable(true);
        action->setChecked(m_manager->currentId() == id);
        action->setData(id);
        group->addAction(action);
    };
    addSource(tr("Local (this computer)"), QString());
    const auto servers = m_saved.servers();
    for (const auto &server : servers)
        addSource(server.usesApiKey() ? tr("%1 (API key)").arg(server.displayName())
                                      : tr("%1 (%2)").arg(server.displayName(), server.account),
            server.id());
    m_menu->addSeparator();
    auto *add = m_menu->addAction(tr("&Add Server…"), this, &SourceController::addServer);
    add->setObjectName(QStringLiteral("addServer"));
    auto *signOutAction = m_menu->addAction(tr("Sign &Out"), this, &SourceController::signOut);
    signOutAction->setObjectName(QStringLiteral("signOut"));
    signOutAction->setEnabled(!m_manager->isLocal());
    // Saved servers can be forgotten, with the sign-in the keychain keeps for them.
    auto *remove = m_menu->addMenu(tr("&Remove Server"));
    remove->setObjectName(QStringLiteral("removeServerMenu"));
    remove->setEnabled(!servers.isEmpty());
    for (const auto &server : servers) {
        auto *action = remove->addAction(server.usesApiKey() ? tr("%1 (API key)…").arg(server.displayName())
                                                             : tr("%1 (%2)…").arg(server.displayName(), server.account),
            this, [this, id = server.id()] { confirmRemoveServer(id); });
        action->setObjectName(QStringLiteral("removeServer"));
        action->setData(server.id());
    }

    const bool local = m_manager->isLocal();
    m_switcher->setText((local ? tr("Local") : m_manager->displayName()) + QStringLiteral(" ▾"));
    m_switcher->setIcon(m_window->style()->standardIcon(local ? QStyle::SP_DriveHDIcon : QStyle::SP_DriveNetIcon));
    updateBanner();
}

} // namespace agentops::ui
