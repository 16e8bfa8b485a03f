// SPDX-License-Identifier: MIT
#pragma once

#include "server/options.h"
#include "server/projectstores.h"
#include "store/authstore.h"
#include "store/tracestore.h"

#include <filesystem>
#include <memory>

namespace agentops::server {

/// The databases a server's options name: SQLite files, or schemas of one PostgreSQL database.
/// Throws StoreError when one cannot be opened.
std::unique_ptr<store::AuthStore> openAuthStore(const ServerOptions &options);
/// Opens a project's trace store: <dir of the account database>/projects/<id>.db, or the schema
/// project_<id> in PostgreSQL.
ProjectStores::Factory projectStoreFactory(const ServerOptions &options);
/// Bytes the databases take on disk (the SQLite files and their WAL; the PostgreSQL database).
double databaseBytes(const ServerOptions &options);
/// The directory of a SQLite server's databases (the parent of --database, DATA_DIR by default):
/// what backup, restore and the data directory lock cover.
std::filesystem::path databaseDir(const ServerOptions &options);
/// The one store of open mode (--auth none).
std::unique_ptr<store::TraceStore> openSingleStore(const ServerOptions &options);

} // namespace agentops::server
