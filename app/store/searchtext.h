// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>

namespace agentops::store {

/// The searchable text of one span's content, as both stores index it (SearchIndex for SQLite,
/// span_search for PostgreSQL): the status message, output, input, attribute values and
/// events, in that order (the output before the input: what the cap keeps), each JSON document
/// reduced to its string values (not its keys), joined by newlines, at most kMaxBytes.
class SearchBody
{
public:
    static constexpr std::size_t kMaxBytes = std::size_t { 32 } * 1024;

    /// `seen` holds hashes of the longer strings already indexed for the span's trace (a
    /// conversation's history, sent again with each model call): they are left out, and added.
    SearchBody(std::string &out, std::unordered_set<std::uint64_t> &seen)
        : m_out(out)
        , m_seen(seen)
    { }

    /// The five texts of a span in the order above.
    void addSpan(std::string_view statusMessage, std::string_view output, std::string_view input,
        std::string_view attributes, std::string_view events);
    /// A text: the string values of JSON, or the text itself when it is not JSON.
    void addText(std::string_view text);
    bool full() const { return m_out.size() >= kMaxBytes; }

private:
    void addString(std::string_view s);
    template<typename Json>
    void addJson(const Json &j);

    std::string &m_out;
    std::unordered_set<std::uint64_t> &m_seen;
};

} // namespace agentops::store
