// SPDX-License-Identifier: MIT
#pragma once

#include "store/metrics.h"
#include "store/tracestore.h"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace agentops::client::apijson {

/// The query API's answers (docs/api.md) read back into the store's types, exactly as the server's
/// writers (core::appendSummaryApiJson, core::appendSpanApiJson, apiserver.cpp) wrote them.
/// Readers throw ApiJsonError naming the field they could not read; they never crash on bad input.
class ApiJsonError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

store::TracePage tracePage(std::string_view json);
/// GET /api/v1/traces/{id}: {"trace": summary, "complete": bool, "spans": [span...]}.
store::TraceDetail traceDetail(std::string_view json);
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

} // namespace agentops::client::apijson
