// SPDX-License-Identifier: MIT
#pragma once

#include "core/pricing.h"
#include "server/apiserver.h"
#include "server/log.h"

#include <memory>
#include <string>
#include <vector>

namespace agentops::server {

/// Everything agentops-server can be told on its command line.
struct ServerOptions
{
    ServerConfig http;
    std::string data_dir; ///< default: $XDG_DATA_HOME/agentops-monitor (or ~/.local/share/...)
    std::string database; ///< default: <data_dir>/traces.db
    Log::Format log_format = Log::Format::Text;
    bool sync_full = false;
    std::size_t queue_max_spans = 200'000;
    std::string prices_file; ///< price overrides laid over the shipped table (docs/pricing.md)
    /// "" serves; "reprice" prices the stored spans again with the current table and exits.
    std::string command;
    bool help = false;
    bool version = false;
};

/// Parses the arguments (argv[0] excluded). False with a message naming the bad flag.
bool parseServerOptions(const std::vector<std::string> &args, ServerOptions &out, std::string &error);
std::string serverUsage();
/// XDG data directory of the product ($XDG_DATA_HOME/agentops-monitor, ~/.local/share/agentops-monitor).
std::string defaultDataDir();
/// Process-wide malloc settings for ingest: request bodies and their decoded spans are large, short-
/// lived allocations; glibc's defaults hand them back to the kernel and fault them in again on every
/// request (a quarter of the decode time in the benchmark). Call once at start.
void tuneMemoryAllocator();

/// The shipped price table with the overrides in overridesFile (if not empty) laid over it; nullptr with
/// a message naming the file and the bad row and field when the file cannot be read or is invalid.
std::shared_ptr<const core::PriceTable> loadPriceTable(const std::string &overridesFile, std::string &error);

/// "16MiB", "64M", "1048576", "512KiB" -> bytes; false when not a size.
bool parseByteSize(const std::string &text, std::size_t &bytes);

} // namespace agentops::server
