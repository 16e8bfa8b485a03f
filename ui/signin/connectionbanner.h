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

protected:
    void changeEvent(QEvent *event) override;

private:
    void show(Kind kind, const QColor &accent, const QString &text, const QString &detail);
    /// The strip in the accent's hue, pale on a light theme and deep on a dark one, with text at 4.5:1.
    void applyColors();

    Kind m_kind = Kind::None;
    QColor m_accent;
    bool m_coloring = false;
    QLabel *m_icon;
    QLabel *m_text;
    QPushButton *m_retry;
    QPushButton *m_signIn;
};

} // namespace agentops::ui
