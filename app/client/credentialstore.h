// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace agentops::client {

/// Secrets (session tokens, API keys) in the OS keychain through QtKeychain: the Secret Service or
/// KWallet on Linux, the Keychain on macOS, the Credential Manager on Windows. Never falls back to a
/// file: when no keychain can be used the call fails with a message saying so. One entry per saved
/// server and account (keyFor()), under the service name "AgentOps Monitor".
///
/// Every call is asynchronous; the callback runs later on this object's thread (never inside the
/// call) and not at all once this object is gone.
class CredentialStore : public QObject
{
    Q_OBJECT

public:
    enum class Status {
        Ok,
        NotFound, ///< no entry for the key: not an error (read gives an empty secret)
        Unavailable, ///< no keychain service on this system (no Secret Service, no KWallet)
        Denied, ///< the keychain is locked or refused access
        Failed, ///< any other failure; message says what the keychain reported
    };

    struct Result
    {
        Status status = Status::Ok;
        QString secret; ///< read(): the stored secret when status is Ok
        QString message; ///< a sentence for the user when the call failed; empty otherwise
        /// Ok, or NotFound (reading or removing a missing entry is not an error).
        bool succeeded() const { return status == Status::Ok || status == Status::NotFound; }
    };
    using Callback = std::function<void(const Result &)>;

    /// "AgentOps Monitor".
    static QString defaultService();
    /// The entry of one account on one server: "<server url>|<account>".
    static QString keyFor(const QString &serverUrl, const QString &account);

    explicit CredentialStore(QObject *parent = nullptr);
    CredentialStore(const QString &service, QObject *parent);

    QString service() const { return m_service; }

    void read(const QString &key, Callback done);
    /// Creates or overwrites the entry.
    void write(const QString &key, const QString &secret, Callback done = {});
    /// Removing a missing entry succeeds (status NotFound).
    void remove(const QString &key, Callback done = {});

    /// Calls started and not answered yet.
    int pending() const { return m_pending; }

Q_SIGNALS:
    /// Every failed call (not NotFound), for a status line.
    void failed(const QString &message);

private:
    void start(QObject *job, Callback done);

    QString m_service;
    int m_pending = 0;
};

} // namespace agentops::client
