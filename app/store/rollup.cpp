// SPDX-License-Identifier: MIT
#include "store/rollup.h"

#include <sqlite3.h>

#include <algorithm>
#include <bit>

namespace agentops::store::rollup {

namespace {

constexpr int kExactBelow = 1 << (kHistSubBits + 1); // 32: exact buckets
constexpr int kSubBuckets = 1 << kHistSubBits;
constexpr int kLastBucket = kExactBelow + (kHistMaxExponent - kHistSubBits - 1) * kSubBuckets + kSubBuckets - 1;

void putVarint(std::string &out, std::uint64_t v)
{
    while (v >= 0x80) {
        out.push_back(static_cast<char>(v | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}

bool getVarint(const unsigned char *&p, const unsigned char *end, std::uint64_t &v)
{
    v = 0;
    for (int shift = 0; p < end && shift < 64; shift += 7) {
        const unsigned char b = *p++;
        v |= std::uint64_t(b & 0x7F) << shift;
        if (!(b & 0x80))
            return true;
    }
    return false;
}

/// The (bucket, count) pairs of an encoded histogram, in the order written; false when the bytes
/// are not one.
bool decodeBins(const void *data, std::size_t size, std::vector<std::pair<int, std::int64_t>> &out)
{
    out.clear();
    const auto *p = static_cast<const unsigned char *>(data);
    const auto *end = p + size;
    while (p < end) {
        std::uint64_t bucket = 0, count = 0;
        if (!getVarint(p, end, bucket) || !getVarint(p, end, count) || bucket > kLastBucket)
            return false;
        out.emplace_back(static_cast<int>(bucket), static_cast<std::int64_t>(count));
    }
    return true;
}

} // namespace

int latencyBucket(std::int64_t ns)
{
    if (ns < kExactBelow)
        return ns < 0 ? 0 : static_cast<int>(ns);
    const int e = std::bit_width(static_cast<std::uint64_t>(ns)) - 1;
    if (e > kHistMaxExponent)
        return kLastBucket;
    const int mantissa = static_cast<int>((ns >> (e - kHistSubBits)) & (kSubBuckets - 1));
    return kExactBelow + (e - kHistSubBits - 1) * kSubBuckets + mantissa;
}

std::int64_t latencyBucketValue(int bucket)
{
    if (bucket < kExactBelow)
        return bucket;
    const int e = kHistSubBits + 1 + (bucket - kExactBelow) / kSubBuckets;
    const int mantissa = (bucket - kExactBelow) % kSubBuckets;
    const std::int64_t width = std::int64_t(1) << (e - kHistSubBits);
    return (kSubBuckets + mantissa) * width + width / 2;
}

void Histogram::add(int bucket, std::int64_t count)
{
    auto it = std::lower_bound(
        m_bins.begin(), m_bins.end(), bucket, [](const std::pair<int, std::int64_t> &b, int v) { return b.first < v; });
    if (it != m_bins.end() && it->first == bucket)
        it->second += count;
    else
        m_bins.emplace(it, bucket, count);
}

void Histogram::merge(const Histogram &other)
{
    if (m_bins.empty()) {
        m_bins = other.m_bins;
        return;
    }
    // Into a scratch vector that then trades places with the bins, so that its memory serves the
    // next merge: a refresh merges some 60,000 rollup histograms (docs/benchmarks.md), and one
    // allocation for each took a third of its time in this process.
    thread_local std::vector<std::pair<int, std::int64_t>> out;
    out.clear();
    out.reserve(m_bins.size() + other.m_bins.size());
    auto a = m_bins.begin();
    auto b = other.m_bins.begin();
    while (a != m_bins.end() || b != other.m_bins.end()) {
        if (b == other.m_bins.end() || (a != m_bins.end() && a->first < b->first))
            out.push_back(*a++);
        else if (a == m_bins.end() || b->first < a->first)
            out.push_back(*b++);
        else {
            out.emplace_back(a->first, a->second + b->second);
            ++a;
            ++b;
        }
    }
    m_bins.swap(out);
}

void Histogram::subtract(const Histogram &gone)
{
    std::size_t kept = 0;
    auto g = gone.m_bins.begin();
    for (const auto &[bucket, count] : m_bins) {
        while (g != gone.m_bins.end() && g->first < bucket)
            ++g;
        const std::int64_t left = count - (g != gone.m_bins.end() && g->first == bucket ? g->second : 0);
        if (left > 0)
            m_bins[kept++] = { bucket, left };
    }
    m_bins.resize(kept);
}

bool Histogram::mergeEncoded(const void *data, std::size_t size)
{
    thread_local Histogram h; // scratch: one merge per rollup row read
    if (!decodeBins(data, size, h.m_bins))
        return false;
    if (!std::is_sorted(h.m_bins.begin(), h.m_bins.end()))
        std::sort(h.m_bins.begin(), h.m_bins.end());
    merge(h);
    return true;
}

bool HistogramSum::addEncoded(const void *data, std::size_t size)
{
    if (!decodeBins(data, size, m_scratch))
        return false;
    if (m_counts.empty())
        m_counts.assign(kLastBucket + 1, 0);
    for (const auto &[bucket, count] : m_scratch) {
        if (m_counts[static_cast<std::size_t>(bucket)] == 0)
            m_used.push_back(bucket);
        m_counts[static_cast<std::size_t>(bucket)] += count;
    }
    return true;
}

Histogram HistogramSum::take()
{
    std::sort(m_used.begin(), m_used.end());
    Histogram h;
    for (const int bucket : m_used) {
        auto &count = m_counts[static_cast<std::size_t>(bucket)];
        if (count > 0)
            h.add(bucket, count); // in increasing order: each at the end
        count = 0;
    }
    m_used.clear();
    return h;
}

std::string Histogram::encode() const
{
    std::string out;
    out.reserve(m_bins.size() * 3);
    for (const auto &[bucket, count] : m_bins) {
        putVarint(out, static_cast<std::uint64_t>(bucket));
        putVarint(out, static_cast<std::uint64_t>(count));
    }
    return out;
}

std::int64_t Histogram::count() const
{
    std::int64_t n = 0;
    for (const auto &b : m_bins)
        n += b.second;
    return n;
}

std::optional<std::int64_t> Histogram::percentile(int pct) const
{
    const std::int64_t n = count();
    if (n <= 0)
        return std::nullopt;
    const std::int64_t rank = std::max<std::int64_t>(1, (pct * n + 99) / 100);
    std::int64_t seen = 0;
    for (const auto &[bucket, count] : m_bins) {
        seen += count;
        if (seen >= rank)
            return latencyBucketValue(bucket);
    }
    return latencyBucketValue(m_bins.back().first);
}

namespace {

void mergeFunction(sqlite3_context *ctx, int, sqlite3_value **argv)
{
    Histogram h;
    for (int k = 0; k < 2; ++k) {
        if (sqlite3_value_type(argv[k]) == SQLITE_NULL)
            continue;
        const void *p = sqlite3_value_blob(argv[k]);
        const int n = sqlite3_value_bytes(argv[k]);
        if (n > 0 && !h.mergeEncoded(p, static_cast<std::size_t>(n))) {
            sqlite3_result_error(ctx, "agentops_hist_merge: not a latency histogram", -1);
            return;
        }
    }
    const std::string out = h.encode();
    sqlite3_result_blob(ctx, out.data(), static_cast<int>(out.size()), SQLITE_TRANSIENT);
}

void histStep(sqlite3_context *ctx, int, sqlite3_value **argv)
{
    // NOLINTNEXTLINE(bugprone-sizeof-expression): the context holds a pointer to a histogram on the heap
    auto **slot = static_cast<Histogram **>(sqlite3_aggregate_context(ctx, sizeof(Histogram *)));
    if (!slot) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    if (!*slot)
        *slot = new Histogram;
    (*slot)->addValue(sqlite3_value_int64(argv[0]));
}

void histFinal(sqlite3_context *ctx)
{
    auto **slot = static_cast<Histogram **>(sqlite3_aggregate_context(ctx, 0));
    Histogram empty;
    const Histogram &h = slot && *slot ? **slot : empty;
    const std::string out = h.encode();
    sqlite3_result_blob(ctx, out.data(), static_cast<int>(out.size()), SQLITE_TRANSIENT);
    if (slot)
        delete *slot;
}

} // namespace

int registerFunctions(sqlite3 *db)
{
    int rc = sqlite3_create_function(
        db, "agentops_hist_merge", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, &mergeFunction, nullptr, nullptr);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function(
            db, "agentops_latency_hist", 1, SQLITE_UTF8, nullptr, nullptr, &histStep, &histFinal);
    return rc;
}

void SpanAgg::merge(const SpanAgg &o)
{
    spans += o.spans;
    errors += o.errors;
    usage += o.usage;
    latency.merge(o.latency);
}

void ErrorAgg::merge(const ErrorAgg &o)
{
    count += o.count;
    if (o.last_seen > last_seen) {
        last_seen = o.last_seen;
        example = o.example;
    }
}

void BatchRollup::add(const core::Span &s)
{
    const std::int64_t minute = floorTo(s.start_ns, kMinuteNs);
    SpanAgg &a
        = m_spans[SpanKey { kMinuteNs, minute, static_cast<int>(s.kind), s.model(), s.service_name, s.agent_name }];
    ++a.spans;
    const bool error = s.status == core::StatusCode::Error;
    if (error)
        ++a.errors;
    a.usage.add(s);
    a.latency.addValue(s.durationNs());
    if (error)
        addErrorGroup(s, minute);
}

void BatchRollup::addFailure(const core::Span &s)
{
    const std::int64_t minute = floorTo(s.start_ns, kMinuteNs);
    ++m_spans[SpanKey { kMinuteNs, minute, static_cast<int>(s.kind), s.model(), s.service_name, s.agent_name }].errors;
    addErrorGroup(s, minute);
}

void BatchRollup::addErrorGroup(const core::Span &s, std::int64_t minute)
{
    ErrorAgg &e = m_errors[ErrorKey { kMinuteNs, minute, s.name, s.status_message, s.service_name, s.model() }];
    ErrorAgg one;
    one.count = 1;
    one.last_seen = s.start_ns;
    one.example = s.trace_id;
    e.merge(one);
}

void RepriceBatch::add(const core::Span &before, const core::Span &after)
{
    core::UsageTotals was, now;
    was.add(before);
    now.add(after);
    const PriceChange c { now.cost_usd - was.cost_usd, now.priced_spans - was.priced_spans,
        now.unpriced_spans - was.unpriced_spans };
    auto apply = [&c](PriceChange &to) {
        to.cost += c.cost;
        to.priced += c.priced;
        to.unpriced += c.unpriced;
    };
    apply(m_traces[after.trace_id]);
    for (const std::int64_t r : kResolutionsNs)
        apply(m_rows[RowKey { r / kSecondNs, floorTo(after.start_ns, r), static_cast<int>(after.kind), after.model(),
            after.service_name, after.agent_name }]);
}

void BatchRollup::finish()
{
    std::map<SpanKey, SpanAgg> hours;
    for (const auto &[k, v] : m_spans) {
        SpanKey h = k;
        h.res = kHourNs;
        h.t = floorTo(k.t, kHourNs);
        hours[h].merge(v);
    }
    m_spans.merge(hours);
    std::map<ErrorKey, ErrorAgg> errorHours;
    for (const auto &[k, v] : m_errors) {
        ErrorKey h = k;
        h.res = kHourNs;
        h.t = floorTo(k.t, kHourNs);
        errorHours[h].merge(v);
    }
    m_errors.merge(errorHours);
}

} // namespace agentops::store::rollup
