// SPDX-License-Identifier: MIT
#include "store/cursor.h"

#include <charconv>
#include <cstdlib>

namespace agentops::store {

static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64UrlEncode(std::string_view data)
{
    std::string out;
    out.reserve((data.size() + 2) / 3 * 4);
    std::size_t i = 0;
    const auto *p = reinterpret_cast<const unsigned char *>(data.data());
    for (; i + 2 < data.size(); i += 3) {
        const std::uint32_t v = p[i] << 16 | p[i + 1] << 8 | p[i + 2];
        out.push_back(kAlphabet[v >> 18 & 63]);
        out.push_back(kAlphabet[v >> 12 & 63]);
        out.push_back(kAlphabet[v >> 6 & 63]);
        out.push_back(kAlphabet[v & 63]);
    }
    if (i + 1 == data.size()) {
        const std::uint32_t v = p[i] << 16;
        out.push_back(kAlphabet[v >> 18 & 63]);
        out.push_back(kAlphabet[v >> 12 & 63]);
    } else if (i + 2 == data.size()) {
        const std::uint32_t v = p[i] << 16 | p[i + 1] << 8;
        out.push_back(kAlphabet[v >> 18 & 63]);
        out.push_back(kAlphabet[v >> 12 & 63]);
        out.push_back(kAlphabet[v >> 6 & 63]);
    }
    return out;
}

std::optional<std::string> base64UrlDecode(std::string_view text)
{
    auto value = [](char c) -> int {
        if (c >= 'A' && c <= 'Z')
            return c - 'A';
        if (c >= 'a' && c <= 'z')
            return c - 'a' + 26;
        if (c >= '0' && c <= '9')
            return c - '0' + 52;
        if (c == '-')
            return 62;
        if (c == '_')
            return 63;
        return -1;
    };
    if (text.size() % 4 == 1)
        return std::nullopt;
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
        const int v = value(c);
        if (v < 0)
            return std::nullopt;
        acc = acc << 6 | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>(acc >> bits & 0xff));
        }
    }
    return out;
}

std::string Cursor::encode() const
{
    char buf[40];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, dkey);
    std::string raw = tag;
    raw += '\n' + std::to_string(ikey) + '\n' + std::string(buf, ec == std::errc() ? end : buf) + '\n'
        + std::to_string(rowid) + '\n' + skey;
    return base64UrlEncode(raw);
}

std::optional<Cursor> Cursor::decode(std::string_view text)
{
    auto raw = base64UrlDecode(text);
    if (!raw)
        return std::nullopt;
    std::string_view rest(*raw);
    auto next = [&rest](std::string_view &field) {
        const auto nl = rest.find('\n');
        if (nl == std::string_view::npos)
            return false;
        field = rest.substr(0, nl);
        rest.remove_prefix(nl + 1);
        return true;
    };
    auto whole = [](std::string_view f, auto &value) {
        auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), value);
        return ec == std::errc() && end == f.data() + f.size() && !f.empty();
    };
    std::string_view tag, ikey, dkey, rowid;
    Cursor c;
    if (!next(tag) || !next(ikey) || !next(dkey) || !next(rowid) || !whole(ikey, c.ikey) || !whole(dkey, c.dkey)
        || !whole(rowid, c.rowid))
        return std::nullopt;
    c.tag = std::string(tag);
    c.skey = std::string(rest);
    return c;
}

} // namespace agentops::store
