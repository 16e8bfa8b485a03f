// SPDX-License-Identifier: MIT
#pragma once

#include "server/options.h"

namespace agentops::server {

/// Exit code of erase and export when the selection matched no trace.
inline constexpr int kNothingMatched = 3;

/// agentops-server erase | export: the traces of an end user, a session or a trace, in every project
/// of the data directory (or --project), erased (refused while a server uses the directory: the
/// admin API does it then) or written as OTLP/JSON lines. Recorded in the audit log (team mode).
/// Returns the exit code: 0, 1 failed, 2 bad arguments, kNothingMatched.
int runErasureCommand(const ServerOptions &options);
/// agentops-server audit: the audit log, newest first.
int runAuditCommand(const ServerOptions &options);

} // namespace agentops::server
