// SPDX-License-Identifier: MIT
#pragma once

#include "core/pricing.h"
#include "core/scratchpool.h"
#include "store/tracestore.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

namespace agentops::store {

/// The single-writer ingest pipeline: request threads hand over decoded spans and wait; one writer
/// thread takes everything queued (up to a batch limit) and commits it to the store in one
/// transaction (group commit), then wakes every request whose spans that commit held. A request is
/// acknowledged only after its spans are durable. The queue is bounded in spans: when full, submit
/// answers QueueFull at once so the caller can answer 503 + Retry-After.
class IngestPipeline
{
public:
    struct Options
    {
        std::size_t max_queued_spans = 200'000;
        std::size_t max_batch_spans = 16'384;
    };

    enum class Outcome { Committed, QueueFull, StoreFailed, Stopped };
    struct Result
    {
        Outcome outcome = Outcome::Committed;
        std::string error; ///< StoreFailed: what the store said
    };

    struct Counters
    {
        std::uint64_t committed_spans = 0;
        std::uint64_t duplicate_spans = 0;
        std::uint64_t commits = 0;
        std::uint64_t rejected_queue_full = 0;
        std::uint64_t store_failures = 0;
        std::uint64_t writer_busy_ns = 0; ///< time the writer spent in the store
    };

    explicit IngestPipeline(TraceStore &store);
    IngestPipeline(TraceStore &store, Options options);
    ~IngestPipeline();

    IngestPipeline(const IngestPipeline &) = delete;
    IngestPipeline &operator=(const IngestPipeline &) = delete;

    /// Prices (see setPriceTable) and encodes the spans on the calling thread, queues them and blocks
    /// until the commit holding them is done (or fails). Pricing sets cost_usd and price_ref in the
    /// spans given.
    Result submit(std::span<core::Span> spans);
    /// submit() of spans the caller has no further use for.
    Result submit(std::vector<core::Span> &&spans) { return submit(std::span<core::Span>(spans)); }

    /// The table submit() prices spans with; spans that arrive with a cost (the native API may send
    /// one) keep it. nullptr (the default) prices nothing. Safe to call while requests are submitted:
    /// each submit() uses the table that was set when it started.
    void setPriceTable(std::shared_ptr<const core::PriceTable> table);
    std::shared_ptr<const core::PriceTable> priceTable() const;

    /// Stops taking new work, commits everything already accepted, and joins the writer.
    void stop();

    std::size_t queuedSpans() const;
    Counters counters() const;

private:
    /// The spans stay with the submitting thread, which waits for the commit and then frees them, so
    /// the writer neither copies nor destroys them.
    struct Job
    {
        const std::vector<EncodedSpan> *spans;
        std::promise<Result> done;
    };

    void run();

    TraceStore &m_store;
    Options m_options;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_queue;
    std::size_t m_queuedSpans = 0;
    bool m_stopping = false;
    Counters m_counters;
    mutable std::mutex m_priceMutex; ///< apart from m_mutex, so pricing never waits for the queue
    std::shared_ptr<const core::PriceTable> m_prices;
    /// Encoded spans, reused by one submit() after another; each keeps at most a few MiB of storage.
    core::ScratchPool<std::vector<EncodedSpan>> m_encoded;
    std::thread m_writer;
};

} // namespace agentops::store
