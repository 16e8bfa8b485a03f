// SPDX-License-Identifier: MIT
#include "client/credentialstore.h"

#include <qt6keychain/keychain.h>

namespace agentops::client {

namespace {

/// libsecret reports a missing D-Bus session or Secret Service as a generic error.
bool noSecretService(const QString &detail)
{
    return detail.contains(QLatin1String("Could not connect"), Qt::CaseInsensitive)
        || detail.contains(QLatin1String("ServiceUnknown"))
        || detail.contains(QLatin1String("was not provided by any .service files"));
}

CredentialStore::Result resultOf(const QKeychain::Job &job)
{
    CredentialStore::Result result;
    const QString detail = job.errorString();
    QKeychain::Error error = job.error();
    if (error == QKeychain::OtherError && noSecretService(detail))
        error = QKeychain::NoBackendAvailable;
    switch (error) {
    case QKeychain::NoError: result.status = CredentialStore::Status::Ok; break;
    case QKeychain::EntryNotFound: result.status = CredentialStore::Status::NotFound; break;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        result.status = CredentialStore::Status::Unavailable;
        result.message = CredentialStore::tr("No keychain is available to keep the sign-in (a Secret Service such "
                                             "as GNOME Keyring or KWallet must be running): %1")
                             .arg(detail);
        break;
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
        result.status = CredentialStore::Status::Denied;
        result.message = CredentialStore::tr("The keychain is locked or refused access: %1").arg(detail);
        break;
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::OtherError:
        result.status = CredentialStore::Status::Failed;
        result.message = CredentialStore::tr("The keychain reported an error: %1").arg(detail);
        break;
    }
    return result;
}

} // namespace

QString CredentialStore::defaultService()
{
    return QStringLiteral("AgentOps Monitor");
}

QString CredentialStore::keyFor(const QString &serverUrl, const QString &account)
{
    return serverUrl + QLatin1Char('|') + account;
}

CredentialStore::CredentialStore(QObject *parent)
    : CredentialStore(defaultService(), parent)
{ }

CredentialStore::CredentialStore(const QString &service, QObject *parent)
    : QObject(parent)
    , m_service(service)
{ }

void CredentialStore::start(QObject *object, Callback done)
{
    auto *job = static_cast<QKeychain::Job *>(object);
    // Never a plain-text file in place of a keychain.
    job->setInsecureFallback(false);
    job->setAutoDelete(true);
    ++m_pending;
    connect(job, &QKeychain::Job::finished, this, [this, done = std::move(done)](QKeychain::Job *finished) {
        --m_pending;
        Result result = resultOf(*finished);
        if (result.status == Status::Ok)
            if (auto *reader = qobject_cast<QKeychain::ReadPasswordJob *>(finished))
                result.secret = reader->textData();
        if (!result.succeeded())
            Q_EMIT failed(result.message);
        if (done)
            done(result);
    });
    // QtKeychain answers from the event loop (D-Bus replies), so the callback never runs in here.
    job->start();
}

void CredentialStore::read(const QString &key, Callback done)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setKey(key);
    start(job, std::move(done));
}

void CredentialStore::write(const QString &key, const QString &secret, Callback done)
{
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setKey(key);
    job->setTextData(secret);
    start(job, std::move(done));
}

void CredentialStore::remove(const QString &key, Callback done)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setKey(key);
    start(job, std::move(done));
}

} // namespace agentops::client
