// SPDX-License-Identifier: MIT
#pragma once

#include "core/span.h"
#include "diff/tracediff.h"
#include "store/authstore.h"
#include "store/metrics.h"
#include "store/tracestore.h"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

/// The API's answers on the wire (docs/api.md): the server writes them (write::), the desktop app's
/// remote source reads them back into the store's types (read::). Both live here so a field is
/// changed in one place for both sides, and tests/auto/apiwire checks that what the writers write,
/// the readers read back equal. Spans and trace summaries are written by core::appendSpanApiJson and
/// core::appendSummaryApiJson (the trace file export shares them).
namespace agentops::api {

/// A reader could not read an answer: names the field. Readers never crash on bad input.
class ApiJsonError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

namespace write {

/// GET /api/v1/traces: {"traces":[summary...],"next_cursor":...}.
std::string tracePage(const store::TracePage &page);
/// GET /api/v1/traces/{id}: {"trace": summary, "complete": bool, "spans": [span...]}.
std::string traceDetail(const store::TraceDetail &detail);
/// GET /api/v1/traces/{id}/spans/{span_id}: {"span": span}.
std::string spanAnswer(const core::Span &span);
/// GET /api/v1/sessions.
std::string sessionPage(const store::SessionPage &page);
/// GET /api/v1/sessions/{id}.
std::string sessionTraces(const std::string &sessionId, const std::vector<core::TraceSummary> &traces);
/// GET /api/v1/metrics; groupBy as the request named it.
std::string metrics(const store::MetricsResult &m, const std::string &groupBy);
/// GET /api/v1/changes.
std::string changeCounter(std::uint64_t commits);
/// {"error":{"code","message"}}.
std::string error(std::string_view code, std::string_view message);

/// GET /api/v1/traces/diff: two runs, their comparison and the word diffs of some pairs. Only the
/// server writes it (the desktop app compares runs itself, from whatever sources they come from), so
/// it has no reader.
struct TraceDiffAnswer
{
    const store::TraceDetail *a = nullptr;
    const store::TraceDetail *b = nullptr;
    const diff::TraceDiff *diff = nullptr;
    std::size_t max_pairs = 0; ///< pairs listed at most; the counts cover them all
    /// Word diffs by pair index, in pair order.
    std::vector<std::pair<std::size_t, diff::PairText>> texts;
    bool texts_truncated = false; ///< more pairs had text that differs than texts holds
};
std::string traceDiff(const TraceDiffAnswer &answer);

/// POST /api/v1/auth/login.
std::string login(const std::string &token, std::int64_t expiresNs, std::int64_t idleTimeoutSeconds,
    const store::User &user, const std::vector<store::Project> &projects);
/// GET /api/v1/me: a session's user or an API key, the projects, the session's expiry (0: none).
/// teamMode false: the open-mode answer (no accounts).
std::string me(bool teamMode, const store::User *user, const store::ApiKey *key,
    const std::vector<store::Project> &projects, std::int64_t sessionExpiresNs);
/// GET /api/v1/projects.
std::string projects(const std::vector<store::Project> &projects);
/// GET /api/v1/projects/{project}/keys.
std::string keys(const std::vector<store::ApiKey> &keys);
/// POST .../keys, POST /api/v1/keys/{id}/rotate: the key and its secret (shown this once).
std::string newKey(const store::ApiKey &key, const std::string &secret);

void appendUserJson(std::string &out, const store::User &u);
void appendProjectsJson(std::string &out, const std::vector<store::Project> &projects);
void appendKeyJson(std::string &out, const store::ApiKey &k);

} // namespace write

namespace read {

store::TracePage tracePage(std::string_view json);
/// How traceDetail() holds the spans of an answer.
enum class TraceShape {
    Spans, ///< in TraceDetail::spans
    SlimWhenIncomplete, ///< an incomplete (narrow) answer's in TraceDetail::table, as TraceLoad::Slim
};
/// GET /api/v1/traces/{id}: {"trace": summary, "complete": bool, "spans": [span...]}.
store::TraceDetail traceDetail(std::string_view json, TraceShape shape = TraceShape::Spans);
/// GET /api/v1/traces/{id}/spans/{span_id}: {"span": span}.
core::Span spanAnswer(std::string_view json);
store::SessionPage sessionPage(std::string_view json);
/// GET /api/v1/sessions/{id}: {"session_id", "traces": [summary...]}.
std::vector<core::TraceSummary> sessionTraces(std::string_view json);
store::MetricsResult metrics(std::string_view json);
/// GET /api/v1/changes: {"change_counter": "<u64>"}.
std::uint64_t changeCounter(std::string_view json);
/// {"error": {"code", "message"}}: the message, or "" when the body is not such an object.
std::string errorMessage(std::string_view json);

struct Project
{
    std::int64_t id = 0;
    std::string name;
};
struct Identity
{
    bool has_user = false;
    std::string email;
    std::string name;
    bool has_api_key = false;
    std::vector<Project> projects;
    std::int64_t session_expires_ns = 0;
};
/// GET /api/v1/me.
Identity me(std::string_view json);
struct Login
{
    std::string token;
    Identity identity;
};
/// POST /api/v1/auth/login.
Login login(std::string_view json);

} // namespace read

} // namespace agentops::api
