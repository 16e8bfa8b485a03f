// SPDX-License-Identifier: MIT
#include "store/sqlitetraceids.h"

#include "store/sqliteutil.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace agentops::store::sqlite {

namespace {

constexpr int kProbes = 11; ///< bits set per id: the fewest false "maybe"s at 16 bits an id
constexpr std::size_t kBitsPerId = 16;
constexpr std::size_t kMinCapacity = 65'536;

std::uint64_t mix(std::uint64_t x)
{
    // splitmix64's finalizer: trace ids are not always random (ids widened from 8 bytes are half zero).
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

/// The two hashes an id's probes are made of (double hashing: probe i is h1 + i * h2).
struct Probes
{
    std::uint64_t h1;
    std::uint64_t h2;
};

Probes probes(const core::TraceId &id)
{
    std::uint64_t a, b;
    std::memcpy(&a, id.data(), 8);
    std::memcpy(&b, id.data() + 8, 8);
    const std::uint64_t h1 = mix(a ^ mix(b));
    return { h1, mix(h1) | 1 };
}

} // namespace

std::string traceRowidSql(int param)
{
    const std::string stretch = std::to_string(kTraceIdStretch);
    return "(WITH RECURSIVE stretch(n) AS (SELECT max(id) / " + stretch + " FROM traces UNION ALL SELECT n - 1 "
        + "FROM stretch WHERE n > (SELECT min(id) / " + stretch + " FROM traces)) SELECT t.id FROM stretch "
        + "CROSS JOIN traces t WHERE t.id / " + stretch + " = stretch.n AND t.trace_id = ?" + std::to_string(param)
        + " LIMIT 1)";
}

void TraceIdFilter::size(std::size_t capacity)
{
    m_capacity = std::max(capacity, kMinCapacity);
    const std::size_t bits = std::bit_ceil(m_capacity * kBitsPerId);
    m_bits.assign(bits / 64, 0);
    m_mask = bits - 1;
    m_count = 0;
}

void TraceIdFilter::build(sqlite3 *db)
{
    std::int64_t traces = 0;
    {
        Stmt count(db, "SELECT count(*) FROM traces INDEXED BY traces_by_trace_id");
        count.step();
        traces = count.i64(0);
    }
    size(2 * static_cast<std::size_t>(traces));
    Stmt ids(db, "SELECT trace_id FROM traces INDEXED BY traces_by_trace_id");
    core::TraceId id {};
    while (ids.step()) {
        const std::string_view bytes = ids.blobView(0);
        id.fill(0);
        std::memcpy(id.data(), bytes.data(), std::min(id.size(), bytes.size()));
        set(id);
    }
    m_ready = true;
}

void TraceIdFilter::set(const core::TraceId &id)
{
    const Probes p = probes(id);
    for (int i = 0; i < kProbes; ++i) {
        const std::uint64_t bit = (p.h1 + static_cast<std::uint64_t>(i) * p.h2) & m_mask;
        m_bits[bit / 64] |= std::uint64_t { 1 } << (bit % 64);
    }
    ++m_count;
}

bool TraceIdFilter::mayContain(const core::TraceId &id) const
{
    const Probes p = probes(id);
    for (int i = 0; i < kProbes; ++i) {
        const std::uint64_t bit = (p.h1 + static_cast<std::uint64_t>(i) * p.h2) & m_mask;
        if (!(m_bits[bit / 64] & (std::uint64_t { 1 } << (bit % 64))))
            return false;
    }
    return true;
}

void TraceIdFilter::add(const core::TraceId &id, sqlite3 *db)
{
    if (m_count >= m_capacity)
        build(db);
    else
        set(id);
}

} // namespace agentops::store::sqlite
