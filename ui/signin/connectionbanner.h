// SPDX-License-Identifier: MIT
#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace agentops::ui {

/// A strip above the pages that says why a team server's data cannot be shown (offline, signed
/// out, no access, a server error) with the action that helps. Hidden while everything works.
class ConnectionBanner : public QFrame
{
    Q_OBJECT

public:
    enum class Kind { None, Offline, Unauthorized, Forbidden, ServerError };

    explicit ConnectionBanner(QWidget *parent = nullptr);

    /// "Cannot reach <server> — retrying in Ns", with "Retry now".
    void showOffline(const QString &server, int retryInSeconds, const QString &detail);
    void showUnauthorized(const QString &server);
    void showForbidden(const QString &server, const QString &message);
    void showServerError(const QString &server, const QString &message);
    void clear();

    Kind kind() const { return m_kind; }
    QString text() const;
    QPushButton *retryButton() const { return m_retry; }
    QPushButton *signInButton() const { return m_signIn; }

Q_SIGNALS:
    void retryRequested();
    void signInRequested();

private:
    void show(Kind kind, const QColor &background, const QString &text, const QString &detail);

    Kind m_kind = Kind::None;
    QLabel *m_icon;
    QLabel *m_text;
    QPushButton *m_retry;
    QPushButton *m_signIn;
};

} // namespace agentops::ui
