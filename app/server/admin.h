// SPDX-License-Identifier: MIT
#pragma once

#include "server/accounts.h"

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace agentops::server {

/// Asks for a password (no echo on a terminal); false when none can be read.
using PasswordReader = std::function<bool(const std::string &prompt, std::string &password)>;

/// The admin commands (user, project, key) on the account store: args are the words after the
/// command, e.g. {"add", "ana@example.com", "--name", "Ana"}. Prints results to out and errors
/// (naming what is wrong) to err; returns the process exit code (0 ok, 1 failed, 2 usage).
int runAdminCommand(const std::string &command, const std::vector<std::string> &args, Accounts &accounts,
    const PasswordReader &readPassword, std::FILE *out, std::FILE *err);

/// Reads a password: one line from stdin when passwordStdin, else from the terminal without echo,
/// asked twice to catch typos.
PasswordReader terminalPasswordReader(bool passwordStdin);

} // namespace agentops::server
