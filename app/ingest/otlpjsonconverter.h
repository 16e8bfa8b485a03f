// SPDX-License-Identifier: MIT
#pragma once
// The second stage of streaming an OTLP/JSON request (otlpjsonstream.h): the documents of the
// resources, scopes and spans the SAX walk found are converted to spans (OtlpJsonParts) on a thread
// of their own, so that reading the file and converting what was read run side by side.

#include "ingest/decoderesult.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace agentops::ingest {

/// Takes the parts of one request in order (a resource, then the scopes under it, each followed by
/// its spans, as OtlpJsonParts takes them) from the reading thread, converts them on its own thread,
/// and gives back batches of at least `batch` spans (rejected ones counted), in order, for the reading
/// thread to flush: the callbacks of the stream stay on the thread that reads.
///
/// Memory and progress: the documents waiting are bounded by kMaxWaitingBytes of their text and by
/// one batch of parts (at most kMaxWaitingParts); the reading thread waits for room. So it reads at
/// most about a batch ahead of what is converted, and the spans it hands over follow the bytes it
/// has read (the progress shown when the first ones are stored).
class OtlpJsonConverter
{
public:
    /// Documents waiting to be converted, by the size of their text in the request.
    static constexpr std::size_t kMaxWaitingBytes = 32u << 20;
    static constexpr std::size_t kMaxWaitingParts = 8192;

    OtlpJsonConverter(std::size_t batch, const Redactor *redactor);
    /// Stops the thread; what was not taken is dropped.
    ~OtlpJsonConverter();
    OtlpJsonConverter(const OtlpJsonConverter &) = delete;
    OtlpJsonConverter &operator=(const OtlpJsonConverter &) = delete;

    /// The parts, in the order OtlpJsonParts wants them. The resource and scope must already have been
    /// accepted by an OtlpJsonParts of the caller's (they are converted again here, and cannot fail).
    /// `bytes`: the size of the part's text, for the bound on what waits.
    void resource(std::size_t r, const nlohmann::json *resource);
    void scope(std::size_t r, std::size_t s, const nlohmann::json *scope);
    void span(std::size_t r, std::size_t s, std::size_t i, nlohmann::json &&span, std::size_t bytes);

    /// Whether a batch (or a failure) is ready for take() (no lock: for the reading thread to ask after
    /// every part).
    bool ready() const { return m_ready.load(std::memory_order_relaxed) > 0; }
    /// Moves the batches converted so far into `out` (appended); with `all`, first waits until every
    /// part given is converted, and the spans short of a batch come out as one more. False when the
    /// thread failed (failure() says why): then nothing more comes out.
    bool take(std::vector<DecodeResult> &out, bool all);
    /// What ended the thread early (out of memory or the like), or "".
    std::string failure();

private:
    struct Part
    {
        enum class Kind : unsigned char { Resource, Scope, Span } kind;
        std::size_t r = 0, s = 0, i = 0;
        bool present = true; ///< resource and scope: false when absent
        nlohmann::json value;
        std::size_t bytes = 0;
    };

    void give(Part &&part);
    /// Hands the parts gathered on the reading thread to the converter's queue, waiting for room.
    void send();
    void run();

    const std::size_t m_batch;
    const std::size_t m_maxWaitingParts; ///< one batch, within kMaxWaitingParts
    const Redactor *const m_redactor;
    std::vector<Part> m_gathering; ///< reading thread only: sent kSendEvery parts at a time
    std::size_t m_gatheringBytes = 0;

    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<std::vector<Part>> m_waiting;
    /// Parts converted, back for the reading thread to free: their memory came from its allocator,
    /// and freeing it on another thread made every allocation of the reading thread slower.
    std::vector<std::vector<Part>> m_converted;
    std::size_t m_waitingParts = 0;
    std::size_t m_waitingBytes = 0;
    std::deque<DecodeResult> m_done;
    std::atomic<std::size_t> m_ready { 0 }; ///< m_done's size, read without the lock
    bool m_finishing = false; ///< take(all): the partial batch is to come out too
    bool m_stop = false;
    std::string m_failure;
    std::thread m_thread; // last: starts when everything above is ready
};

} // namespace agentops::ingest
