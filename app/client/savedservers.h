// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QString>

#include <optional>

class QSettings;

namespace agentops::client {

/// A team server the user has signed in to. Nothing secret: the token lives in the keychain under
/// credentialKey() (CredentialStore).
struct SavedServer
{
    QString url; ///< normalized base URL, e.g. "https://agentops.example.com"
    QString name; ///< shown in the source switcher; defaults to the host
    QString account; ///< the email signed in with, or apiKeyAccount()
    QString project; ///< project chosen after sign-in; empty: the account's only project
    QString caFile; ///< extra CA bundle (PEM) for a private CA; empty: system CAs

    /// The account of a sign-in with an API key.
    static QString apiKeyAccount() { return QStringLiteral("API key"); }
    bool usesApiKey() const { return account == apiKeyAccount(); }
    /// Identifies the entry: the same as its keychain key, "<url>|<account>".
    QString id() const;
    QString credentialKey() const { return id(); }
    QString displayName() const;
    bool operator==(const SavedServer &other) const = default;
};

/// The saved servers and the last used source, in QSettings ("servers/..."). The last used source is
/// a saved server's id, or empty for the local database.
class SavedServers
{
public:
    /// settings: nullptr uses a default-constructed QSettings each time.
    explicit SavedServers(QSettings *settings = nullptr);

    /// Lower-case scheme and host, no trailing slash, no query or fragment; empty when the text is
    /// not an http(s) URL with a host.
    static QString normalizeUrl(const QString &text);

    QList<SavedServer> servers() const;
    std::optional<SavedServer> find(const QString &id) const;
    /// Adds the server, or replaces the one with the same id (keeping its place in the list).
    void save(const SavedServer &server);
    void remove(const QString &id);

    QString lastUsed() const;
    void setLastUsed(const QString &id);

private:
    void store(const QList<SavedServer> &servers);
    QSettings *m_settings;
};

} // namespace agentops::client
