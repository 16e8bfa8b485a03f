// SPDX-License-Identifier: MIT
#include "store/ingestpipeline.h"

#include <chrono>

#include <pthread.h>

namespace agentops::store {

namespace {

/// The most string storage an encoded-span vector keeps for the next submit(); a request of
/// unusually many or large spans does not leave its buffers behind.
constexpr std::size_t kKeptEncodedBytes = 4u << 20;

std::size_t storageBytes(const std::vector<EncodedSpan> &encoded)
{
    std::size_t n = encoded.capacity() * sizeof(EncodedSpan);
    for (const auto &e : encoded)
        n += e.attributes.capacity() + e.payload_refs.capacity() + e.events.capacity() + e.links.capacity()
            + e.resource.capacity();
    return n;
}

} // namespace

IngestPipeline::IngestPipeline(TraceStore &store)
    : IngestPipeline(store, Options {})
{ }

IngestPipeline::IngestPipeline(TraceStore &store, Options options)
    : m_store(store)
    , m_options(options)
    , m_encoded(8,
          [](std::vector<EncodedSpan> &encoded) {
              if (storageBytes(encoded) > kKeptEncodedBytes)
                  std::vector<EncodedSpan>().swap(encoded);
              for (auto &e : encoded)
                  e.span = nullptr; // the request's spans are gone
          })
    , m_writer([this] { run(); })
{ }

IngestPipeline::~IngestPipeline()
{
    stop();
}

IngestPipeline::Result IngestPipeline::submit(std::span<core::Span> spans)
{
    if (spans.empty())
        return {};
    if (const auto prices = priceTable())
        core::priceAtIngest(spans, *prices);
    const auto lease = m_encoded.take();
    std::vector<EncodedSpan> &encoded = *lease;
    encodeSpans(spans, encoded);
    std::future<Result> future;
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping)
            return { Outcome::Stopped, {} };
        // A request bigger than the whole queue is still taken when the queue is empty, or it could
        // never be stored at all.
        if (m_queuedSpans > 0 && m_queuedSpans + encoded.size() > m_options.max_queued_spans) {
            ++m_counters.rejected_queue_full;
            return { Outcome::QueueFull, {} };
        }
        m_queuedSpans += encoded.size();
        m_queue.push_back(Job { &encoded, {} });
        future = m_queue.back().done.get_future();
    }
    m_wake.notify_one();
    return future.get();
}

void IngestPipeline::stop()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping && !m_writer.joinable())
            return;
        m_stopping = true;
    }
    m_wake.notify_one();
    if (m_writer.joinable())
        m_writer.join();
}

void IngestPipeline::setPriceTable(std::shared_ptr<const core::PriceTable> table)
{
    std::lock_guard lock(m_priceMutex);
    m_prices = std::move(table);
}

std::shared_ptr<const core::PriceTable> IngestPipeline::priceTable() const
{
    std::lock_guard lock(m_priceMutex);
    return m_prices;
}

std::size_t IngestPipeline::queuedSpans() const
{
    std::lock_guard lock(m_mutex);
    return m_queuedSpans;
}

IngestPipeline::Counters IngestPipeline::counters() const
{
    std::lock_guard lock(m_mutex);
    return m_counters;
}

void IngestPipeline::run()
{
    pthread_setname_np(pthread_self(), "agentops-writer"); // shows in top, perf and gdb
    std::vector<Job> jobs;
    std::vector<std::span<const EncodedSpan>> chunks;
    for (;;) {
        jobs.clear();
        std::size_t taken = 0;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty())
                return; // stopping, and everything accepted is committed
            // Take whole requests until the batch limit; the first is always taken.
            while (!m_queue.empty()
                && (jobs.empty() || taken + m_queue.front().spans->size() <= m_options.max_batch_spans)) {
                taken += m_queue.front().spans->size();
                jobs.push_back(std::move(m_queue.front()));
                m_queue.pop_front();
            }
        }

        Result result;
        WriteStats stats;
        const auto started = std::chrono::steady_clock::now();
        try {
            chunks.clear();
            for (const auto &job : jobs)
                chunks.emplace_back(*job.spans);
            stats = m_store.writeEncoded(chunks);
        } catch (const std::exception &e) {
            result = { Outcome::StoreFailed, e.what() };
        }

        const auto busy = std::chrono::steady_clock::now() - started;
        {
            std::lock_guard lock(m_mutex);
            m_counters.writer_busy_ns += static_cast<std::uint64_t>(std::chrono::nanoseconds(busy).count());
            m_queuedSpans -= taken;
            if (result.outcome == Outcome::Committed) {
                m_counters.committed_spans += stats.inserted;
                m_counters.duplicate_spans += stats.duplicates;
                ++m_counters.commits;
            } else {
                ++m_counters.store_failures;
            }
        }
        for (auto &job : jobs)
            job.done.set_value(result);
    }
}

} // namespace agentops::store
