// SPDX-License-Identifier: MIT
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace agentops::server::http {

/// A fixed number of threads that run the steps of requests that may block (store reads, password
/// checks, ingest waiting for its commit), so the threads that carry connections never wait. The
/// queue has no bound of its own: its users bound what they post (the HTTP server: a connection has
/// at most one step queued or running, and connections are bounded; the gRPC receiver counts its
/// calls).
class WorkerPool
{
public:
    WorkerPool(int threads, const std::string &name);
    ~WorkerPool();
    WorkerPool(const WorkerPool &) = delete;
    WorkerPool &operator=(const WorkerPool &) = delete;

    void post(std::function<void()> task);
    /// Lets running tasks finish, drops queued ones, joins the threads.
    void shutdown();

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<std::function<void()>> m_queue;
    bool m_stop = false;
    std::vector<std::thread> m_threads;
};

} // namespace agentops::server::http
