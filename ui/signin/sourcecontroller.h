// SPDX-License-Identifier: MIT
#pragma once

#include "client/savedservers.h"
#include "signin/signindialog.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <optional>

class QActionGroup;
class QMenu;
class QToolButton;
class QWidget;

namespace agentops::client {
class CredentialStore;
class SourceManager;
} // namespace agentops::client

namespace agentops::ui {

class ConnectionBanner;

/// Where the window's data comes from, from the user's side: the source switcher ("Local", the
/// saved servers, "Add Server…", "Sign Out", "Remove Server"), signing in (SignInDialog, token into
/// the keychain), signing in again when the server refuses the session, and the connection banner.
/// Switching goes through the SourceManager, which every page reads from.
class SourceController : public QObject
{
    Q_OBJECT

public:
    SourceController(client::SourceManager *manager, QWidget *window);
    ~SourceController() override;

    /// Opens the last used source: a saved server's token is read from the keychain and checked on
    /// a worker thread (valid: use it; refused: ask to sign in; unreachable: use it offline and retry).
    void start();

    QToolButton *switcher() const { return m_switcher; }
    ConnectionBanner *banner() const { return m_banner; }
    QMenu *menu() const { return m_menu; }
    client::CredentialStore *credentials() const { return m_credentials; }
    /// The sign-in dialog while one is open.
    SignInDialog *signInDialog() const { return m_dialog; }
    /// The saved server being read, or nullopt on Local.
    std::optional<client::SavedServer> currentServer() const;

public Q_SLOTS:
    /// id: a saved server's id, empty for Local.
    void switchTo(const QString &id);
    void addServer();
    void signOut();
    /// Opens the sign-in dialog prefilled with the current server.
    void signInAgain();
    /// Asks whether to remove a saved server (the question is a message box, open until answered),
    /// then removeServer().
    void confirmRemoveServer(const QString &id);
    /// Forgets a saved server: its entry in the list, its sign-in in the keychain (a session token is
    /// also ended on the server when it can be reached), and, when it is the one shown, switches to
    /// Local.
    void removeServer(const QString &id);

Q_SIGNALS:
    void statusMessage(const QString &text, int timeoutMs);
    /// A server's token was checked and found valid, refused, or not checkable; for tests and logs.
    void startupFinished();
    /// A saved server and its keychain entry were removed (keychain: whether that part succeeded).
    void serverRemoved(const QString &id, bool keychain);

private:
    void connectSaved(const client::SavedServer &server, bool announce);
    void check(const client::SavedServer &server, const QString &token);
    void activate(const client::SavedServer &server, const QString &token);
    void promptSignIn(const std::optional<client::SavedServer> &server, const QString &intro);
    void updateBanner();
    void rebuildMenu();
    void endSession(const client::SavedServer &server, const QString &token);

    client::SourceManager *m_manager;
    QWidget *m_window;
    client::CredentialStore *m_credentials;
    client::SavedServers m_saved;
    QToolButton *m_switcher;
    QMenu *m_menu;
    ConnectionBanner *m_banner;
    QPointer<SignInDialog> m_dialog;
    quint64 m_checkGeneration = 0;
};

} // namespace agentops::ui
