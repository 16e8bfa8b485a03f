// SPDX-License-Identifier: MIT
#include "server/backend.h"

#include "store/postgresauthstore.h"
#include "store/postgresstore.h"
#include "store/privatefiles.h"
#include "store/sqliteauthstore.h"
#include "store/sqlitestore.h"

#include <pqxx/pqxx>

#include <chrono>
#include <filesystem>
#include <mutex>

namespace agentops::server {

namespace {

void ensureParentDir(const std::string &file)
{
    store::createPrivateDirectories(std::filesystem::path(file).parent_path().string());
}

store::SqliteStore::Options sqliteOptions(const ServerOptions &options)
{
    store::SqliteStore::Options o;
    o.sync = options.sync_full ? store::SqliteStore::Sync::Full : store::SqliteStore::Sync::Normal;
    o.search = options.search_index;
    return o;
}

} // namespace

std::unique_ptr<store::AuthStore> openAuthStore(const ServerOptions &options)
{
    if (isPostgresUrl(options.database))
        return std::make_unique<store::PostgresAuthStore>(options.database);
    ensureParentDir(options.database);
    return std::make_unique<store::SqliteAuthStore>(options.database);
}

ProjectStores::Factory projectStoreFactory(const ServerOptions &options)
{
    if (isPostgresUrl(options.database)) {
        const std::string url = options.database;
        const bool search = options.search_index;
        return [url, search](const store::Project &project) -> std::unique_ptr<store::TraceStore> {
            store::PostgresStore::Options o;
            o.schema = "project_" + std::to_string(project.id);
            o.search = search;
            return std::make_unique<store::PostgresStore>(url, o);
        };
    }
    const auto dir = std::filesystem::path(options.database).parent_path() / "projects";
    const auto storeOptions = sqliteOptions(options);
    return [dir, storeOptions](const store::Project &project) -> std::unique_ptr<store::TraceStore> {
        const std::string file = (dir / (std::to_string(project.id) + ".db")).string();
        ensureParentDir(file);
        return std::make_unique<store::SqliteStore>(file, storeOptions);
    };
}

double databaseBytes(const ServerOptions &options)
{
    if (isPostgresUrl(options.database)) {
        // Asked by every scrape of /metrics, which needs no credentials: at most one connection a
        // minute, the last answer in between.
        static std::mutex mutex;
        static std::chrono::steady_clock::time_point asked {};
        static double bytes = 0;
        std::lock_guard lock(mutex);
        const auto now = std::chrono::steady_clock::now();
        if (asked == std::chrono::steady_clock::time_point {} || now - asked >= std::chrono::minutes(1)) {
            asked = now;
            pqxx::connection connection(options.database);
            pqxx::work tx(connection);
            bytes = tx.exec1("SELECT pg_database_size(current_database())")[0].as<double>();
        }
        return bytes;
    }
    std::error_code ec;
    double total = 0;
    const auto base = std::filesystem::path(options.database);
    const auto name = base.filename().string();
    for (const auto &entry :
        std::filesystem::directory_iterator(base.parent_path().empty() ? "." : base.parent_path(), ec)) {
        if (entry.path().filename().string().rfind(name, 0) == 0 && entry.is_regular_file(ec))
            total += static_cast<double>(entry.file_size(ec));
    }
    if (options.auth_required) {
        for (const auto &entry : std::filesystem::directory_iterator(base.parent_path() / "projects", ec)) {
            if (entry.is_regular_file(ec))
                total += static_cast<double>(entry.file_size(ec));
        }
    }
    return total;
}

std::filesystem::path databaseDir(const ServerOptions &options)
{
    return std::filesystem::absolute(options.database).lexically_normal().parent_path();
}

std::unique_ptr<store::TraceStore> openSingleStore(const ServerOptions &options)
{
    if (isPostgresUrl(options.database)) {
        store::PostgresStore::Options o;
        o.schema = "traces";
        o.search = options.search_index;
        return std::make_unique<store::PostgresStore>(options.database, o);
    }
    ensureParentDir(options.database);
    return std::make_unique<store::SqliteStore>(options.database, sqliteOptions(options));
}

} // namespace agentops::server
