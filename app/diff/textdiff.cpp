// SPDX-License-Identifier: MIT
#include "diff/textdiff.h"

#include "core/text.h"
#include "diff/sequencediff.h"

#include <unordered_map>

namespace agentops::diff {

namespace {

enum class Class { Word, Space, Punct, Ideograph };

bool isWordByte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/// Length of the UTF-8 sequence that starts with c (1 for stray continuation bytes).
std::size_t sequenceLength(unsigned char c)
{
    if (c >= 0xF0)
        return 4;
    if (c >= 0xE0)
        return 3;
    if (c >= 0xC0)
        return 2;
    return 1;
}

/// U+2E80 and above (CJK radicals, kana, ideographs, hangul; lead bytes E2 BA.. and E3..ED) are
/// words of their own.
bool isIdeographLead(std::string_view s, std::size_t i)
{
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0xE3 && c <= 0xED)
        return true;
    return c == 0xE2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0xBA;
}

Class classAt(std::string_view s, std::size_t i)
{
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        return Class::Space;
    if (c >= 0x80)
        return isIdeographLead(s, i) ? Class::Ideograph : Class::Word;
    return isWordByte(c) ? Class::Word : Class::Punct;
}

/// text cut to at most max bytes, never inside a UTF-8 sequence.
std::string_view cut(std::string_view text, std::size_t max, bool &truncated)
{
    if (text.size() <= max)
        return text;
    truncated = true;
    return text.substr(0, core::utf8Prefix(text, max));
}

bool isWord(std::string_view token)
{
    const Class c = classAt(token, 0);
    return c == Class::Word || c == Class::Ideograph;
}

/// Two texts that share less than kMinShared of their words (of their tokens, when neither has a
/// word): interleaving their few common words — mostly JSON quotes, colons and commas between
/// different keys — would read as neither text, so they are shown whole, one after the other.
bool unrelated(const std::vector<AlignedPair> &aligned, const std::vector<std::string_view> &wa,
    const std::vector<std::string_view> &wb)
{
    constexpr double kMinShared = 0.3;
    std::size_t wordsA = 0, wordsB = 0, sharedWords = 0, shared = 0;
    for (auto w : wa)
        wordsA += isWord(w);
    for (auto w : wb)
        wordsB += isWord(w);
    for (const auto &pair : aligned) {
        if (pair.a < 0 || pair.b < 0)
            continue;
        ++shared;
        sharedWords += isWord(wa[static_cast<std::size_t>(pair.a)]);
    }
    if (wa.empty() || wb.empty())
        return false;
    if (std::max(wordsA, wordsB) > 0)
        return double(sharedWords) < kMinShared * double(std::max(wordsA, wordsB));
    return double(shared) < kMinShared * double(std::max(wa.size(), wb.size()));
}

} // namespace

std::vector<std::string_view> diffWords(std::string_view text)
{
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < text.size()) {
        const Class c = classAt(text, i);
        std::size_t j = i + (c == Class::Punct ? 1 : sequenceLength(static_cast<unsigned char>(text[i])));
        j = std::min(j, text.size());
        if (c == Class::Word || c == Class::Space) {
            while (j < text.size() && classAt(text, j) == c)
                j = std::min(text.size(), j + sequenceLength(static_cast<unsigned char>(text[j])));
        }
        out.push_back(text.substr(i, j - i));
        i = j;
    }
    return out;
}

TextDiff diffText(std::string_view a, std::string_view b, std::size_t maxBytes)
{
    TextDiff out;
    a = cut(a, maxBytes, out.truncated);
    b = cut(b, maxBytes, out.truncated);
    const auto wa = diffWords(a), wb = diffWords(b);
    std::unordered_map<std::string_view, std::uint32_t> ids;
    ids.reserve(wa.size() + wb.size());
    auto intern = [&](const std::vector<std::string_view> &words) {
        std::vector<std::uint32_t> keys;
        keys.reserve(words.size());
        for (auto w : words)
            keys.push_back(ids.try_emplace(w, static_cast<std::uint32_t>(ids.size())).first->second);
        return keys;
    };
    const auto ka = intern(wa), kb = intern(wb);
    const auto aligned = alignSequences(ka, kb);
    if (unrelated(aligned, wa, wb)) {
        if (!a.empty())
            out.pieces.push_back({ TextPiece::Op::Delete, std::string(a) });
        if (!b.empty())
            out.pieces.push_back({ TextPiece::Op::Insert, std::string(b) });
        return out;
    }
    for (const auto &pair : aligned) {
        const auto op = pair.a < 0 ? TextPiece::Op::Insert : pair.b < 0 ? TextPiece::Op::Delete : TextPiece::Op::Equal;
        const std::string_view word
            = pair.a < 0 ? wb[static_cast<std::size_t>(pair.b)] : wa[static_cast<std::size_t>(pair.a)];
        if (!out.pieces.empty() && out.pieces.back().op == op)
            out.pieces.back().text += word;
        else
            out.pieces.push_back({ op, std::string(word) });
    }
    return out;
}

} // namespace agentops::diff
