// SPDX-License-Identifier: MIT
#pragma once

#include "client/remotesource.h"
#include "client/savedservers.h"

#include <QDialog>

#include <optional>

class QButtonGroup;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QStackedWidget;
class QToolButton;

namespace agentops::ui {

/// Signs in to an agentops-server: its address, an email and password or an API key, an optional
/// CA file for a private certificate authority, and the project when the account has several.
/// The request runs on a worker thread (the dialog stays responsive and can cancel); a failure is
/// shown inline and every typed value stays. "Work offline" closes it and leaves the app on the
/// local database. On acceptance server(), token() and identity() describe the sign-in; storing the
/// token (in the keychain) is the caller's job.
class SignInDialog : public QDialog
{
    Q_OBJECT

public:
    explicit SignInDialog(QWidget *parent = nullptr);
    ~SignInDialog() override;

    /// Prefills the fields from a saved server (sign in again, or after the session expired), and
    /// offers to remove it (removeRequested).
    void setServer(const client::SavedServer &server);
    /// A line above the fields, e.g. why sign-in is asked for again.
    void setIntro(const QString &text);

    /// Valid after acceptance.
    client::SavedServer server() const { return m_server; }
    QString token() const { return m_token; }
    client::RemoteIdentity identity() const { return m_identity; }
    /// The dialog was closed with "Work offline".
    bool workOffline() const { return m_workOffline; }
    bool isBusy() const { return m_busy; }

    /// Why the text is not a server address to sign in to; empty when it is.
    static QString urlProblem(const QString &text);
    /// Plain http to a host other than this machine: tokens would cross the network unencrypted.
    static bool isInsecure(const QString &url);

    QLineEdit *urlEdit() const { return m_url; }
    QRadioButton *passwordChoice() const { return m_usePassword; }
    QRadioButton *apiKeyChoice() const { return m_useApiKey; }
    QLineEdit *emailEdit() const { return m_email; }
    QLineEdit *passwordEdit() const { return m_password; }
    QLineEdit *apiKeyEdit() const { return m_apiKey; }
    QLineEdit *caFileEdit() const { return m_caFile; }
    QComboBox *projectBox() const { return m_project; }
    QLabel *errorLabel() const { return m_error; }
    QLabel *urlWarningLabel() const { return m_urlWarning; }
    QPushButton *signInButton() const { return m_signIn; }
    QPushButton *cancelButton() const { return m_cancel; }
    QPushButton *offlineButton() const { return m_offline; }
    /// "Remove Server": shown for a saved server (setServer()).
    QPushButton *removeButton() const { return m_remove; }

public Q_SLOTS:
    void signIn();
    /// Stops waiting for a sign-in in flight (a late success is signed out again on the server).
    void cancelSignIn();
    void reject() override;

Q_SIGNALS:
    void busyChanged(bool busy);
    /// The user asked to forget this saved server and its sign-in; the caller confirms and removes it.
    void removeRequested();
    void signInFailed(const QString &message);

private:
    struct Outcome;
    void finished(quint64 generation, const Outcome &outcome);
    void setBusy(bool busy);
    void showError(const QString &message);
    void updateMethod();
    void updateUrlWarning();
    void chooseCaFile();
    void showProjects(const std::vector<client::RemoteProject> &projects, const QString &preferred);
    void finishWithProject();
    client::RemoteConfig config() const;

    QLabel *m_intro;
    QLineEdit *m_url;
    QLabel *m_urlWarning;
    QRadioButton *m_usePassword;
    QRadioButton *m_useApiKey;
    QButtonGroup *m_method;
    QStackedWidget *m_credentials;
    QLineEdit *m_email;
    QLineEdit *m_password;
    QLineEdit *m_apiKey;
    QLineEdit *m_caFile;
    QToolButton *m_browseCa;
    QLabel *m_projectLabel;
    QComboBox *m_project;
    QLabel *m_error;
    QProgressBar *m_progress;
    QPushButton *m_signIn;
    QPushButton *m_cancel;
    QPushButton *m_offline;
    QPushButton *m_remove;

    client::SavedServer m_server;
    QString m_token;
    client::RemoteIdentity m_identity;
    quint64 m_generation = 0;
    bool m_busy = false;
    bool m_choosingProject = false;
    bool m_workOffline = false;
};

} // namespace agentops::ui
