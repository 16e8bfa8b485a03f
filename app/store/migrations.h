// SPDX-License-Identifier: MIT
#pragma once

#include <span>

namespace agentops::store {

/// One step of a trace store's schema: what it does and the SQL that does it. A store's steps run
/// in order, each in a transaction of its own, and the database records how many have run. Never
/// edit a shipped step: add the next.
struct Migration
{
    const char *name; ///< named in the error when the step fails
    const char *sql;
};

/// SqliteStore's steps (sqlitemigrations.cpp); PRAGMA user_version counts them.
std::span<const Migration> sqliteMigrations();
/// PostgresStore's steps (postgresmigrations.cpp, in agentops_store_postgres); schema_version counts
/// them. They run inside the store's schema (search_path).
std::span<const Migration> postgresMigrations();

} // namespace agentops::store
