// SPDX-License-Identifier: MIT
#pragma once
// The data directory holds prompts, completions, accounts and keys: what the store creates is the
// owner's alone (files 0600, directories 0700), whatever the umask — the packaged systemd unit sets
// one, but a server started by hand or the desktop app would otherwise leave them world-readable.

#include <string>

namespace agentops::store {

/// Creates dir and any missing parents with mode 0700; those that exist keep theirs. Throws
/// StoreError naming the directory that could not be created.
void createPrivateDirectories(const std::string &dir);

/// Creates an empty file with mode 0600 when there is none at path (not for "" or ":memory:") (SQLite gives its -wal
/// and -shm files the database file's mode). An existing file keeps its mode. Throws StoreError.
void createPrivateFile(const std::string &path);

} // namespace agentops::store
