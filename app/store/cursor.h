// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace agentops::store {

/// Keyset-paging position: the sort key of the last row handed out and its tie-breaker (a row id or
/// a text key). Opaque to clients: URL-safe base64 of the fields, one a line.
struct Cursor
{
    std::string tag; ///< which listing, sort and order the cursor belongs to, so it is not reused for another
    std::int64_t ikey = 0;
    double dkey = 0;
    std::int64_t rowid = 0;
    std::string skey; ///< may hold any text

    std::string encode() const;
    static std::optional<Cursor> decode(std::string_view text);
};

std::string base64UrlEncode(std::string_view data);
std::optional<std::string> base64UrlDecode(std::string_view text);

} // namespace agentops::store
