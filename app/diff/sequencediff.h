// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace agentops::diff {

/// One step of an alignment of two sequences: a pair of equal elements, or an element of one side
/// only (the other index is -1).
struct AlignedPair
{
    std::int32_t a = -1;
    std::int32_t b = -1;
    bool operator==(const AlignedPair &other) const = default;
};

/// Aligns two sequences of keys (equal keys may be paired) by Myers' O(ND) difference algorithm in
/// linear space, with the cost bound of xdiff: a search for the middle of the edit path gives up
/// after max(256, √(N+M)) edit steps and splits at the furthest point it reached, so two sequences
/// with nothing in common cost O((N+M)·bound), not O(N·M). Below the bound the result is a longest
/// common subsequence. The answer lists every element of both sides once, in order; where a run of
/// one side's elements stands next to the other side's, those of a come first.
std::vector<AlignedPair> alignSequences(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b);

} // namespace agentops::diff
