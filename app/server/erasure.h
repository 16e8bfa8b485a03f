// SPDX-License-Identifier: MIT
#pragma once

#include "store/authstore.h"
#include "store/tracestore.h"

#include <cstddef>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

namespace agentops::server {

/// Erasure and export of whole traces (a person's right to have their data deleted, or handed to
/// them), shared by the admin commands and the admin API routes, and what the audit log says of them.

/// One store an erasure or export goes through: a project's, or open mode's single one (name "").
struct ErasureTarget
{
    std::string project;
    store::TraceStore *store = nullptr;
};

/// What one erasure or export did, per store and in all.
struct ErasureReport
{
    struct Part
    {
        std::string project;
        std::size_t traces = 0;
        std::size_t spans = 0;
    };
    std::vector<Part> parts; ///< stores where something matched
    std::size_t traces = 0;
    std::size_t spans = 0;
    /// {"traces":N,"spans":M,"projects":[{"project":...,"traces":...,"spans":...}]}
    std::string json() const;
};

/// "user ana@example.com", "session s-1", "trace 5d5a…".
std::string describe(const store::TraceSelection &selection);

/// Erases the selection from every target (store::TraceStore::erase).
ErasureReport eraseFrom(const std::vector<ErasureTarget> &targets, const store::TraceSelection &selection);

/// Writes the selected traces of every target as OTLP/JSON lines, one ExportTraceServiceRequest per
/// trace (ingest::encodeOtlpJson: what File → Open and readTraceFile read back to equal spans,
/// costs included), one trace in memory at a time. Stops with QueryError when more than maxSpans
/// would be written (0: no limit).
ErasureReport exportFrom(const std::vector<ErasureTarget> &targets, const store::TraceSelection &selection,
    std::ostream &out, std::size_t maxSpans = 0);
/// The same into a file, written beside it and renamed: a failed export leaves nothing under its
/// name. Throws std::runtime_error naming the file when it cannot be written.
ErasureReport exportToFile(
    const std::vector<ErasureTarget> &targets, const store::TraceSelection &selection, const std::string &path);

/// "cli:<unix user>": the actor of admin commands in the audit log.
std::string commandLineActor();
/// Appends one entry to the audit log.
void audit(store::AuthStore &store, const std::string &actor, const std::string &action, const std::string &target,
    const std::string &details = {});

} // namespace agentops::server
