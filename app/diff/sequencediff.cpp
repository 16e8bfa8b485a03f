// SPDX-License-Identifier: MIT
#include "diff/sequencediff.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstddef>

namespace agentops::diff {

namespace {

struct Range
{
    int xoff, xlim, yoff, ylim;
};

struct Point
{
    int x, y;
};

/// Myers' middle snake (forward and backward searches that meet on an optimal edit path), as
/// xdiff's xdl_split writes it, with its cost bound. The diagonal vectors are indexed by k = x - y.
class Splitter
{
public:
    Splitter(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b)
        : m_a(a)
        , m_b(b)
        , m_offset(static_cast<int>(b.size()) + 1)
        , m_fwd(a.size() + b.size() + 3)
        , m_bwd(a.size() + b.size() + 3)
    {
        const double diagonals = static_cast<double>(a.size() + b.size() + 3);
        m_maxCost = std::max(256, static_cast<int>(std::sqrt(diagonals)));
    }

    Point split(const Range &r)
    {
        const int dmin = r.xoff - r.ylim, dmax = r.xlim - r.yoff;
        const int fmid = r.xoff - r.yoff, bmid = r.xlim - r.ylim;
        const bool odd = ((fmid - bmid) & 1) != 0;
        int fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
        fwd(fmid) = r.xoff;
        bwd(bmid) = r.xlim;
        for (int cost = 1;; ++cost) {
            // Forward: one more edit on every diagonal in reach, then follow the snake.
            if (fmin > dmin)
                fwd(--fmin - 1) = -1;
            else
                ++fmin;
            if (fmax < dmax)
                fwd(++fmax + 1) = -1;
            else
                --fmax;
            for (int d = fmax; d >= fmin; d -= 2) {
                int x = fwd(d - 1) >= fwd(d + 1) ? fwd(d - 1) + 1 : fwd(d + 1);
                int y = x - d;
                while (x < r.xlim && y < r.ylim && m_a[x] == m_b[y]) {
                    ++x;
                    ++y;
                }
                fwd(d) = x;
                if (odd && bmin <= d && d <= bmax && bwd(d) <= x)
                    return { x, y };
            }
            // Backward, from the end.
            if (bmin > dmin)
                bwd(--bmin - 1) = INT_MAX;
            else
                ++bmin;
            if (bmax < dmax)
                bwd(++bmax + 1) = INT_MAX;
            else
                --bmax;
            for (int d = bmax; d >= bmin; d -= 2) {
                int x = bwd(d - 1) < bwd(d + 1) ? bwd(d - 1) : bwd(d + 1) - 1;
                int y = x - d;
                while (x > r.xoff && y > r.yoff && m_a[x - 1] == m_b[y - 1]) {
                    --x;
                    --y;
                }
                bwd(d) = x;
                if (!odd && fmin <= d && d <= fmax && x <= fwd(d))
                    return { x, y };
            }
            if (cost >= m_maxCost)
                return furthest(r, fmin, fmax, bmin, bmax);
        }
    }

private:
    int &fwd(int d) { return m_fwd[static_cast<std::size_t>(std::ptrdiff_t { d } + m_offset)]; }
    int &bwd(int d) { return m_bwd[static_cast<std::size_t>(std::ptrdiff_t { d } + m_offset)]; }

    /// Too expensive: split where the forward or the backward search got furthest.
    Point furthest(const Range &r, int fmin, int fmax, int bmin, int bmax)
    {
        long fbest = -1;
        Point fpoint { r.xoff, r.yoff };
        for (int d = fmax; d >= fmin; d -= 2) {
            int x = std::min(fwd(d), r.xlim);
            int y = x - d;
            if (y > r.ylim) {
                x = r.ylim + d;
                y = r.ylim;
            }
            if (fbest < long(x) + y) {
                fbest = long(x) + y;
                fpoint = { x, y };
            }
        }
        long bbest = LONG_MAX;
        Point bpoint { r.xlim, r.ylim };
        for (int d = bmax; d >= bmin; d -= 2) {
            int x = std::max(r.xoff, bwd(d));
            int y = x - d;
            if (y < r.yoff) {
                x = r.yoff + d;
                y = r.yoff;
            }
            if (long(x) + y < bbest) {
                bbest = long(x) + y;
                bpoint = { x, y };
            }
        }
        const bool forward = (long(r.xlim) + r.ylim) - bbest < fbest - (long(r.xoff) + r.yoff);
        return forward ? fpoint : bpoint;
    }

    std::span<const std::uint32_t> m_a, m_b;
    int m_offset;
    std::vector<int> m_fwd, m_bwd;
    int m_maxCost = 256;
};

} // namespace

std::vector<AlignedPair> alignSequences(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b)
{
    const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
    std::vector<char> changedA(a.size(), 0), changedB(b.size(), 0);
    Splitter splitter(a, b);
    // Ranges left to compare; a stack, since a heuristic split can nest as deep as the edit count.
    std::vector<Range> todo { { 0, n, 0, m } };
    while (!todo.empty()) {
        Range r = todo.back();
        todo.pop_back();
        while (r.xoff < r.xlim && r.yoff < r.ylim && a[r.xoff] == b[r.yoff]) {
            ++r.xoff;
            ++r.yoff;
        }
        while (r.xoff < r.xlim && r.yoff < r.ylim && a[r.xlim - 1] == b[r.ylim - 1]) {
            --r.xlim;
            --r.ylim;
        }
        if (r.xoff == r.xlim || r.yoff == r.ylim) {
            std::fill(changedA.begin() + r.xoff, changedA.begin() + r.xlim, 1);
            std::fill(changedB.begin() + r.yoff, changedB.begin() + r.ylim, 1);
            continue;
        }
        const Point p = splitter.split(r);
        const bool atStart = p.x == r.xoff && p.y == r.yoff;
        const bool atEnd = p.x == r.xlim && p.y == r.ylim;
        if (atStart || atEnd) {
            // No progress to be had from a split here: take the range as all changed.
            std::fill(changedA.begin() + r.xoff, changedA.begin() + r.xlim, 1);
            std::fill(changedB.begin() + r.yoff, changedB.begin() + r.ylim, 1);
            continue;
        }
        todo.push_back({ p.x, r.xlim, p.y, r.ylim });
        todo.push_back({ r.xoff, p.x, r.yoff, p.y });
    }

    std::vector<AlignedPair> out;
    out.reserve(static_cast<std::size_t>(std::max(n, m)) + 16);
    int i = 0, j = 0;
    while (i < n || j < m) {
        // A changed item, or what is left of one side once the other is used up, stands alone.
        if (i < n && (changedA[i] || j >= m)) {
            out.push_back({ i++, -1 });
        } else if (j < m && (changedB[j] || i >= n)) {
            out.push_back({ -1, j++ });
        } else {
            out.push_back({ i++, j++ });
        }
    }
    return out;
}

} // namespace agentops::diff
