// SPDX-License-Identifier: MIT
#include "client/savedservers.h"

#include <QSettings>
#include <QUrl>

#include <memory>

namespace agentops::client {

namespace {
const QString kList = QStringLiteral("servers/list");
const QString kLastUsed = QStringLiteral("servers/lastUsed");

template<typename Fn>
auto withSettings(QSettings *settings, Fn fn)
{
    if (settings)
        return fn(*settings);
    QSettings defaults;
    return fn(defaults);
}
} // namespace

QString SavedServer::id() const
{
    return url + QLatin1Char('|') + account;
}

QString SavedServer::displayName() const
{
    if (!name.isEmpty())
        return name;
    const QUrl parsed(url);
    return parsed.port() > 0 ? parsed.host() + QLatin1Char(':') + QString::number(parsed.port()) : parsed.host();
}

SavedServers::SavedServers(QSettings *settings)
    : m_settings(settings)
{ }

QString SavedServers::normalizeUrl(const QString &text)
{
    QUrl url(text.trimmed(), QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty())
        return {};
    const QString scheme = url.scheme().toLower();
    if (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
        return {};
    url.setScheme(scheme);
    url.setHost(url.host().toLower());
    url.setQuery(QString());
    url.setFragment(QString());
    url.setUserInfo(QString());
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    url.setPath(path);
    return url.toString(QUrl::FullyEncoded);
}

QList<SavedServer> SavedServers::servers() const
{
    return withSettings(m_settings, [](QSettings &settings) {
        QList<SavedServer> servers;
        const int count = settings.beginReadArray(kList);
        for (int i = 0; i < count; ++i) {
            settings.setArrayIndex(i);
            SavedServer server;
            server.url = settings.value(QStringLiteral("url")).toString();
            server.name = settings.value(QStringLiteral("name")).toString();
            server.account = settings.value(QStringLiteral("account")).toString();
            server.project = settings.value(QStringLiteral("project")).toString();
            server.caFile = settings.value(QStringLiteral("caFile")).toString();
            if (!server.url.isEmpty())
                servers.append(server);
        }
        settings.endArray();
        return servers;
    });
}

std::optional<SavedServer> SavedServers::find(const QString &id) const
{
    const auto all = servers();
    for (const auto &server : all)
        if (server.id() == id)
            return server;
    return std::nullopt;
}

void SavedServers::store(const QList<SavedServer> &servers)
{
    withSettings(m_settings, [&servers](QSettings &settings) {
        settings.remove(kList);
        settings.beginWriteArray(kList, int(servers.size()));
        for (int i = 0; i < servers.size(); ++i) {
            settings.setArrayIndex(i);
            const auto &server = servers.at(i);
            settings.setValue(QStringLiteral("url"), server.url);
            settings.setValue(QStringLiteral("name"), server.name);
            settings.setValue(QStringLiteral("account"), server.account);
            settings.setValue(QStringLiteral("project"), server.project);
            settings.setValue(QStringLiteral("caFile"), server.caFile);
        }
        settings.endArray();
        settings.sync();
        return 0;
    });
}

void SavedServers::save(const SavedServer &server)
{
    auto all = servers();
    bool replaced = false;
    for (auto &existing : all)
        if (existing.id() == server.id()) {
            existing = server;
            replaced = true;
        }
    if (!replaced)
        all.append(server);
    store(all);
}

void SavedServers::remove(const QString &id)
{
    auto all = servers();
    all.removeIf([&id](const SavedServer &server) { return server.id() == id; });
    store(all);
    if (lastUsed() == id)
        setLastUsed({});
}

QString SavedServers::lastUsed() const
{
    return withSettings(m_settings, [](QSettings &settings) { return settings.value(kLastUsed).toString(); });
}

void SavedServers::setLastUsed(const QString &id)
{
    withSettings(m_settings, [&id](QSettings &settings) {
        settings.setValue(kLastUsed, id);
        settings.sync();
        return 0;
    });
}

} // namespace agentops::client
