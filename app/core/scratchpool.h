// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace agentops::core {

/// Working objects reused from one request to the next: a request takes one (a new one when none is
/// free) and gives it back when it is done. A reused object keeps the storage of its strings and
/// vectors, which is the point: a busy server stops allocating and freeing per request. The pool
/// keeps at most `keep` objects, and tidy (when given) runs on each one given back, before it waits:
/// that is where an object lets go of storage beyond its bound. What a reused object held stays in
/// its storage (this process's memory) until overwritten.
template<typename T>
class ScratchPool
{
public:
    explicit ScratchPool(std::size_t keep, std::function<void(T &)> tidy = {})
        : m_keep(keep)
        , m_tidy(std::move(tidy))
    { }
    ScratchPool(const ScratchPool &) = delete;
    ScratchPool &operator=(const ScratchPool &) = delete;

    class Lease
    {
    public:
        Lease(Lease &&other) noexcept
            : m_pool(std::exchange(other.m_pool, nullptr))
            , m_object(std::move(other.m_object))
        { }
        Lease(const Lease &) = delete;
        Lease &operator=(const Lease &) = delete;
        Lease &operator=(Lease &&) = delete;
        ~Lease()
        {
            if (m_pool)
                m_pool->giveBack(std::move(m_object));
        }
        T &operator*() const { return *m_object; }
        T *operator->() const { return m_object.get(); }

    private:
        friend class ScratchPool;
        Lease(ScratchPool *pool, std::unique_ptr<T> object)
            : m_pool(pool)
            , m_object(std::move(object))
        { }
        ScratchPool *m_pool;
        std::unique_ptr<T> m_object;
    };

    Lease take()
    {
        {
            std::lock_guard lock(m_mutex);
            if (!m_free.empty()) {
                auto object = std::move(m_free.back());
                m_free.pop_back();
                return Lease(this, std::move(object));
            }
        }
        return Lease(this, std::make_unique<T>());
    }

    /// Objects waiting to be taken again.
    std::size_t kept() const
    {
        std::lock_guard lock(m_mutex);
        return m_free.size();
    }

private:
    /// Runs in a destructor: whatever fails (tidy, or growing the list, out of memory) only costs
    /// the object, which is freed instead of kept.
    void giveBack(std::unique_ptr<T> object) noexcept
    {
        try {
            if (m_tidy)
                m_tidy(*object);
            std::lock_guard lock(m_mutex);
            if (m_free.size() < m_keep) {
                m_free.push_back(std::move(object));
                return;
            }
        } catch (...) { }
        object.reset(); // one too many, or it could not be kept: freed outside the lock
    }

    const std::size_t m_keep;
    const std::function<void(T &)> m_tidy;
    mutable std::mutex m_mutex;
    std::vector<std::unique_ptr<T>> m_free;
};

} // namespace agentops::core
