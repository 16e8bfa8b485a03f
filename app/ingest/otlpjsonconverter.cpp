// SPDX-License-Identifier: MIT
#include "ingest/otlpjsonconverter.h"

#include "ingest/otlpjsonparts.h"

#include <algorithm>
#include <exception>
#include <utility>

namespace agentops::ingest {

namespace {

/// Parts gathered on the reading thread before they are handed over in one go: one lock for many
/// spans, and still a small delay before the converter has them.
constexpr std::size_t kSendEvery = 64;
constexpr std::size_t kSendBytes = 1u << 20;

} // namespace

OtlpJsonConverter::OtlpJsonConverter(std::size_t batch, const Redactor *redactor)
    : m_batch(std::max<std::size_t>(batch, 1))
    , m_maxWaitingParts(std::clamp(m_batch, kSendEvery, kMaxWaitingParts))
    , m_redactor(redactor)
    , m_thread([this] { run(); })
{ }

OtlpJsonConverter::~OtlpJsonConverter()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_changed.notify_all();
    m_thread.join();
}

void OtlpJsonConverter::resource(std::size_t r, const nlohmann::json *resource)
{
    give(Part { Part::Kind::Resource, r, 0, 0, resource != nullptr, resource ? *resource : nlohmann::json(), 0 });
}

void OtlpJsonConverter::scope(std::size_t r, std::size_t s, const nlohmann::json *scope)
{
    give(Part { Part::Kind::Scope, r, s, 0, scope != nullptr, scope ? *scope : nlohmann::json(), 0 });
}

void OtlpJsonConverter::span(std::size_t r, std::size_t s, std::size_t i, nlohmann::json &&span, std::size_t bytes)
{
    give(Part { Part::Kind::Span, r, s, i, true, std::move(span), bytes });
}

void OtlpJsonConverter::give(Part &&part)
{
    m_gatheringBytes += part.bytes;
    m_gathering.push_back(std::move(part));
    if (m_gathering.size() >= kSendEvery || m_gatheringBytes >= kSendBytes)
        send();
}

void OtlpJsonConverter::send()
{
    if (m_gathering.empty())
        return;
    const std::size_t parts = m_gathering.size();
    const std::size_t bytes = m_gatheringBytes;
    std::vector<std::vector<Part>> converted; // freed here, after the lock
    {
        std::unique_lock lock(m_mutex);
        converted.swap(m_converted);
        // A part bigger than the bound on its own (a span of up to 16 MiB) goes when nothing waits.
        m_changed.wait(lock, [&] {
            return m_stop || !m_failure.empty() || m_waiting.empty()
                || (m_waitingParts + parts <= m_maxWaitingParts && m_waitingBytes + bytes <= kMaxWaitingBytes);
        });
        if (m_failure.empty()) { // else nothing converts them any more: dropped
            m_waiting.push_back(std::move(m_gathering));
            m_waitingParts += parts;
            m_waitingBytes += bytes;
        }
    }
    m_changed.notify_all();
    m_gathering = {};
    m_gathering.reserve(kSendEvery);
    m_gatheringBytes = 0;
}

bool OtlpJsonConverter::take(std::vector<DecodeResult> &out, bool all)
{
    if (all)
        send();
    std::vector<std::vector<Part>> converted; // freed after the lock, on this thread
    std::unique_lock lock(m_mutex);
    converted.swap(m_converted);
    if (all) {
        m_finishing = true;
        m_changed.notify_all();
        m_changed.wait(lock, [&] { return !m_finishing || !m_failure.empty(); });
    }
    for (auto &batch : m_done)
        out.push_back(std::move(batch));
    m_done.clear();
    m_ready = 0;
    return m_failure.empty();
}

std::string OtlpJsonConverter::failure()
{
    std::lock_guard lock(m_mutex);
    return m_failure;
}

void OtlpJsonConverter::run()
{
    OtlpJsonParts parts;
    DecodeResult current;
    current.redactor = m_redactor;
    // Under the lock: the batch being filled goes out, and a new one takes its place.
    const auto handOver = [&] {
        m_done.push_back(std::move(current));
        m_ready = m_done.size();
        current = DecodeResult();
        current.redactor = m_redactor;
    };
    std::vector<Part> work; // the parts being converted; then back to the reading thread
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            m_changed.wait(lock, [&] { return m_stop || !m_waiting.empty() || m_finishing; });
            if (m_stop)
                return;
            if (!work.empty()) {
                m_converted.push_back(std::move(work));
                work.clear();
            }
            if (m_waiting.empty()) {
                // Everything given is converted: the spans short of a batch go out too.
                if (!current.spans.empty() || current.rejected > 0)
                    handOver();
                m_finishing = false;
                m_changed.notify_all();
                continue;
            }
            work = std::move(m_waiting.front());
            m_waiting.pop_front();
            m_waitingParts -= work.size();
            for (const Part &p : work)
                m_waitingBytes -= p.bytes;
        }
        m_changed.notify_all(); // room for the reading thread
        try {
            for (Part &p : work) {
                DecodeError unused; // accepted by the reading thread's parts already: cannot fail here
                switch (p.kind) {
                case Part::Kind::Resource: parts.resource(p.r, p.present ? &p.value : nullptr, unused); break;
                case Part::Kind::Scope: parts.scope(p.r, p.s, p.present ? &p.value : nullptr, unused); break;
                case Part::Kind::Span:
                    parts.span(p.r, p.s, p.i, p.value, current);
                    if (current.spans.size() + current.rejected >= m_batch) {
                        std::lock_guard lock(m_mutex);
                        handOver();
                    }
                    break;
                }
            }
        } catch (const std::exception &e) {
            std::lock_guard lock(m_mutex);
            m_failure = std::string("converting the spans: ") + e.what();
            m_ready = 1; // for the reading thread to take() and learn of it
            m_changed.notify_all();
            return;
        }
    }
}

} // namespace agentops::ingest
