// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace agentops::diff {

/// A run of text in a diff: in both texts, only in the second (inserted) or only in the first.
struct TextPiece
{
    enum class Op : std::uint8_t { Equal, Insert, Delete };
    Op op = Op::Equal;
    std::string text;
    bool operator==(const TextPiece &other) const = default;
};

struct TextDiff
{
    std::vector<TextPiece> pieces;
    bool truncated = false; ///< a text was longer than the limit: only its beginning was compared
    bool equal() const
    {
        for (const auto &p : pieces)
            if (p.op != TextPiece::Op::Equal)
                return false;
        return true;
    }
};

/// Each side is compared up to this many bytes (cut at a character boundary).
inline constexpr std::size_t kMaxDiffTextBytes = std::size_t { 64 } * 1024;

/// Splits text into the words a diff compares: runs of letters, digits and '_' (and of other
/// non-ASCII characters), runs of whitespace, each punctuation character, and each character of the
/// CJK, kana and hangul blocks on its own (those scripts put no spaces between words).
std::vector<std::string_view> diffWords(std::string_view text);

/// Word-level diff of two texts (a prompt, a completion, tool arguments or a result); adjacent words
/// of one kind are merged into one piece.
TextDiff diffText(std::string_view a, std::string_view b, std::size_t maxBytes = kMaxDiffTextBytes);

} // namespace agentops::diff
