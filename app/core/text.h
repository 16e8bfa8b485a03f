// SPDX-License-Identifier: MIT
#pragma once
// Small text helpers every layer needs, spelt once. ASCII only (header names, schemes, model and
// convention names are ASCII; anything else is left as it is), but for the UTF-8 boundaries.

#include <string>
#include <string_view>

namespace agentops::core {

/// s without leading and trailing blanks: spaces and tabs (HTTP's optional whitespace).
constexpr std::string_view trimBlanks(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

/// s without leading and trailing whitespace: blanks, carriage returns and line feeds.
constexpr std::string_view trimWhitespace(std::string_view s)
{
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!s.empty() && space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && space(s.back()))
        s.remove_suffix(1);
    return s;
}

constexpr char asciiLowerChar(char c)
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr char asciiUpperChar(char c)
{
    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

/// The longest prefix of s of at most max bytes that does not end inside a UTF-8 character: its
/// length (s.size() when s is no longer than max).
constexpr std::size_t utf8Prefix(std::string_view s, std::size_t max)
{
    if (s.size() <= max)
        return s.size();
    while (max > 0 && (static_cast<unsigned char>(s[max]) & 0xC0) == 0x80)
        --max; // back over continuation bytes
    return max;
}

/// The number of UTF-8 characters (code points) in s: its bytes that are not continuation bytes.
constexpr std::size_t utf8Length(std::string_view s)
{
    std::size_t n = 0;
    for (char c : s)
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

/// A copy with the ASCII letters A-Z lower-cased; other bytes as they are.
std::string asciiLower(std::string_view text);

/// A copy with the ASCII letters a-z upper-cased; other bytes as they are.
std::string asciiUpper(std::string_view text);

/// Equal but for the case of ASCII letters.
constexpr bool equalsNoCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (asciiLowerChar(a[i]) != asciiLowerChar(b[i]))
            return false;
    return true;
}

} // namespace agentops::core
