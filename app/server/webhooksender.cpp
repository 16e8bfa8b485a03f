// SPDX-License-Identifier: MIT
#include "server/webhooksender.h"

#include "alerts/alertjson.h"

#include <curl/curl.h>

#include <algorithm>
#include <ctime>
#include <memory>
#include <pthread.h>

namespace agentops::server {

namespace {

/// The receiver's answer is not needed: read and dropped, at most this much.
constexpr std::size_t kMaxAnswerBytes = std::size_t { 64 } * 1024;

std::size_t discard(char *, std::size_t size, std::size_t n, void *userdata)
{
    auto *total = static_cast<std::size_t *>(userdata);
    *total += size * n;
    return *total > kMaxAnswerBytes ? 0 : size * n;
}

} // namespace

WebhookSender::WebhookSender(Options options, Log &log)
    : m_options(std::move(options))
    , m_log(log)
{ }

WebhookSender::~WebhookSender()
{
    stop();
}

void WebhookSender::start()
{
    m_thread = std::thread([this] { run(); });
}

void WebhookSender::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

bool WebhookSender::enqueue(Delivery delivery)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_queue.size() >= m_options.max_queued) {
            ++m_stats.dropped;
            return false;
        }
        m_queue.push({ std::chrono::steady_clock::now(), ++m_seq, 0, std::move(delivery) });
    }
    m_wake.notify_all();
    return true;
}

WebhookSender::Stats WebhookSender::stats() const
{
    std::lock_guard lock(m_mutex);
    Stats s = m_stats;
    s.queued = m_queue.size();
    return s;
}

std::chrono::milliseconds WebhookSender::backoff(const Options &options, int failedAttempts)
{
    auto wait = options.first_backoff;
    for (int i = 1; i < failedAttempts && wait < options.max_backoff; ++i)
        wait *= 2;
    return std::min(wait, options.max_backoff);
}

void WebhookSender::run()
{
    pthread_setname_np(pthread_self(), "agentops-webhook");
    std::unique_lock lock(m_mutex);
    for (;;) {
        if (m_stop)
            return;
        if (m_queue.empty()) {
            m_wake.wait(lock);
            continue;
        }
        const auto due = m_queue.top().due;
        if (std::chrono::steady_clock::now() < due) {
            m_wake.wait_until(lock, due);
            continue;
        }
        Pending p = m_queue.top();
        m_queue.pop();
        lock.unlock();
        const std::string error = attempt(p.delivery);
        ++p.attempts;
        lock.lock();
        if (p.attempts > 1)
            ++m_stats.retries;
        if (error.empty()) {
            ++m_stats.delivered;
            continue;
        }
        if (p.attempts >= m_options.max_attempts) {
            ++m_stats.failed;
            lock.unlock();
            m_log.error("webhook given up after " + std::to_string(p.attempts) + " attempts: " + error,
                { { "url", Log::str(p.delivery.url) }, { "delivery", Log::str(p.delivery.id) } });
            lock.lock();
            continue;
        }
        const auto wait = backoff(m_options, p.attempts);
        p.due = std::chrono::steady_clock::now() + wait;
        p.seq = ++m_seq;
        lock.unlock();
        m_log.warn("webhook attempt " + std::to_string(p.attempts) + " failed: " + error + "; trying again in "
                + std::to_string(wait.count()) + " ms",
            { { "url", Log::str(p.delivery.url) }, { "delivery", Log::str(p.delivery.id) } });
        lock.lock();
        m_queue.push(std::move(p));
    }
}

std::string WebhookSender::attempt(const Delivery &d)
{
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
    if (!curl)
        return "cannot create an HTTP client";
    // Signed when sent, so a delivery retried minutes later still passes a receiver's replay window.
    const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
    std::vector<std::string> fields = { "Content-Type: application/json",
        "Expect:", std::string(alerts::kTimestampHeader) + ": " + std::to_string(now) };
    if (!d.secret.empty())
        fields.push_back(
            std::string(alerts::kSignatureHeader) + ": " + alerts::webhookSignature(d.secret, now, d.body));
    if (!d.id.empty())
        fields.push_back("X-AgentOps-Delivery: " + d.id);
    curl_slist *headers = nullptr;
    for (const auto &f : fields)
        headers = curl_slist_append(headers, f.c_str());
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headerList(headers, &curl_slist_free_all);
    std::size_t answered = 0;
    CURL *c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, d.url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, d.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(d.body.size()));
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_USERAGENT, m_options.user_agent.c_str());
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(m_options.timeout.count()));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(m_options.timeout.count()));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &discard);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &answered);
    const CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && answered > kMaxAnswerBytes))
        return curl_easy_strerror(rc);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (status < 200 || status > 299)
        return "the receiver answered HTTP " + std::to_string(status);
    return {};
}

} // namespace agentops::server
