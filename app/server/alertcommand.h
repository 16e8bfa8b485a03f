// SPDX-License-Identifier: MIT
#pragma once

#include "store/tracestore.h"

#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace agentops::server {

/// Opens the trace store the alert command works on: a team server's project (by name or id, as
/// --project gave it), or the open store when project is empty. Throws QueryError naming what is
/// wrong (no --project on a team server, an unknown project, --project on an open server).
using AlertStoreOpener = std::function<std::unique_ptr<store::TraceStore>(const std::string &project)>;

/// agentops-server alert add|list|remove: args are the words after "alert". Prints results to out
/// and errors (naming the bad option or value) to err; returns the exit code (0 ok, 1 failed, 2 usage).
int runAlertCommand(const std::vector<std::string> &args, const AlertStoreOpener &open, std::FILE *out, std::FILE *err);

} // namespace agentops::server
