// SPDX-License-Identifier: MIT
#pragma once
// nlohmann::ordered_json keeps an object's keys in the order they were written, which the native
// API wants (attributes and JSON payloads come back as the client wrote them), but it finds a key by
// scanning, and the parser looks every key up as it inserts it: one object of 100,000 keys took
// 19 s of CPU. IndexedOrderedMap is nlohmann's ordered_map with a hash index of its keys' positions,
// built once an object is large, so parsing and every lookup stay linear in the body. The index
// holds positions, not keys: 16 bytes a key at most.

#include <nlohmann/json.hpp>

#include <bit>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace agentops::ingest {

template<class Key, class T, class IgnoredLess = std::less<Key>,
    class Allocator = std::allocator<std::pair<const Key, T>>>
struct IndexedOrderedMap : nlohmann::ordered_map<Key, T, IgnoredLess, Allocator>
{
    static_assert(std::is_same_v<Key, std::string>, "keys are strings");
    using Base = nlohmann::ordered_map<Key, T, IgnoredLess, Allocator>;
    using Container = typename Base::Container;
    using iterator = typename Base::iterator;
    using const_iterator = typename Base::const_iterator;
    using size_type = typename Base::size_type;
    using value_type = typename Base::value_type;
    using key_type = Key;
    using mapped_type = T;
    using Base::Base;

    /// Smaller objects are scanned: no index to build or keep, and as fast.
    static constexpr size_type kIndexFrom = 16;

    std::pair<iterator, bool> emplace(std::string_view key, T &&value)
    {
        if (const auto pos = position(key); pos != npos)
            return { this->begin() + static_cast<std::ptrdiff_t>(pos), false };
        Container::emplace_back(Key(key), std::move(value));
        return { std::prev(this->end()), true };
    }
    std::pair<iterator, bool> insert(const value_type &value)
    {
        if (const auto pos = position(value.first); pos != npos)
            return { this->begin() + static_cast<std::ptrdiff_t>(pos), false };
        Container::push_back(value);
        return { std::prev(this->end()), true };
    }
    std::pair<iterator, bool> insert(value_type &&value) { return insert(static_cast<const value_type &>(value)); }
    template<class It>
    void insert(It first, It last)
    {
        for (; first != last; ++first)
            insert(*first);
    }

    T &operator[](std::string_view key) { return emplace(key, T {}).first->second; }
    const T &operator[](std::string_view key) const { return at(key); }
    T &at(std::string_view key) { return const_cast<T &>(std::as_const(*this).at(key)); }
    const T &at(std::string_view key) const
    {
        const auto pos = position(key);
        if (pos == npos)
            throw std::out_of_range("key not found");
        return (this->begin() + static_cast<std::ptrdiff_t>(pos))->second;
    }

    iterator find(std::string_view key)
    {
        const auto pos = position(key);
        return pos == npos ? this->end() : this->begin() + static_cast<std::ptrdiff_t>(pos);
    }
    const_iterator find(std::string_view key) const
    {
        const auto pos = position(key);
        return pos == npos ? this->end() : this->begin() + static_cast<std::ptrdiff_t>(pos);
    }
    size_type count(std::string_view key) const { return position(key) == npos ? 0 : 1; }

    // Whatever removes elements moves the others: the index starts over.
    size_type erase(std::string_view key)
    {
        forget();
        return Base::erase(Key(key));
    }
    iterator erase(iterator pos)
    {
        forget();
        return Base::erase(pos);
    }
    iterator erase(iterator first, iterator last)
    {
        forget();
        return Base::erase(first, last);
    }
    void clear() noexcept
    {
        forget();
        Container::clear();
    }

private:
    static constexpr size_type npos = static_cast<size_type>(-1);

    static std::size_t hashOf(std::string_view key) noexcept { return std::hash<std::string_view>()(key); }

    size_type position(std::string_view key) const
    {
        if (this->size() < kIndexFrom) {
            for (size_type i = 0; i < this->size(); ++i)
                if (Container::operator[](i).first == key)
                    return i;
            return npos;
        }
        // Elements are only ever appended between erasures: index the ones added since.
        for (; m_indexed < this->size(); ++m_indexed)
            place(m_indexed);
        const std::size_t mask = m_slots.size() - 1;
        for (std::size_t s = hashOf(key) & mask;; s = (s + 1) & mask) {
            if (m_slots[s] == npos)
                return npos;
            if (Container::operator[](m_slots[s]).first == key)
                return m_slots[s];
        }
    }
    /// Puts the element at pos into the open-addressing table of positions (no key is copied: the
    /// table holds 8 bytes per slot, at most half of them used), growing it as needed. The first
    /// of equal keys keeps its slot, as the first is the one found.
    void place(size_type pos) const
    {
        if (2 * (pos + 1) > m_slots.size()) {
            m_slots.assign(std::bit_ceil(std::max<std::size_t>(64, 4 * (pos + 1))), npos);
            for (size_type i = 0; i < pos; ++i)
                insertSlot(i);
        }
        insertSlot(pos);
    }
    void insertSlot(size_type pos) const
    {
        const std::size_t mask = m_slots.size() - 1;
        const auto &key = Container::operator[](pos).first;
        for (std::size_t s = hashOf(key) & mask;; s = (s + 1) & mask) {
            if (m_slots[s] == npos) {
                m_slots[s] = pos;
                return;
            }
            if (Container::operator[](m_slots[s]).first == key)
                return;
        }
    }
    void forget() noexcept
    {
        m_slots.clear();
        m_indexed = 0;
    }

    // Filled lazily by lookups: a map is not to be read from several threads at once (nlohmann's
    // own are read-only there; this one is not).
    mutable std::vector<size_type> m_slots; ///< a power of two in size; npos: empty
    mutable size_type m_indexed = 0;
};

/// JSON whose objects keep their keys' order and find them by hash (see above).
using OrderedJson = nlohmann::basic_json<IndexedOrderedMap>;

} // namespace agentops::ingest
