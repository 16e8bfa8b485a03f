// SPDX-License-Identifier: MIT
#include "server/http/workerpool.h"

#include <pthread.h>

namespace agentops::server::http {

WorkerPool::WorkerPool(int threads, const std::string &name)
{
    for (int i = 0; i < threads; ++i) {
        m_threads.emplace_back([this, name] {
            pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
            for (;;) {
                std::function<void()> task;
                {
                    std::unique_lock lock(m_mutex);
                    m_cv.wait(lock, [this] { return m_stop || !m_queue.empty(); });
                    if (m_stop)
                        return;
                    task = std::move(m_queue.front());
                    m_queue.pop_front();
                }
                task();
            }
        });
    }
}

WorkerPool::~WorkerPool()
{
    shutdown();
}

void WorkerPool::post(std::function<void()> task)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_stop)
            return;
        m_queue.push_back(std::move(task));
    }
    m_cv.notify_one();
}

void WorkerPool::shutdown()
{
    std::deque<std::function<void()>> dropped;
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
        dropped.swap(m_queue);
    }
    m_cv.notify_all();
    for (auto &t : m_threads) {
        if (t.joinable())
            t.join();
    }
    m_threads.clear();
}

} // namespace agentops::server::http
