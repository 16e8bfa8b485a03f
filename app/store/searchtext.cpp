// SPDX-License-Identifier: MIT
#include "store/searchtext.h"

#include "core/text.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace agentops::store {

void SearchBody::addSpan(std::string_view statusMessage, std::string_view output, std::string_view input,
    std::string_view attributes, std::string_view events)
{
    for (std::string_view text : { statusMessage, output, input, attributes, events })
        addText(text);
}

void SearchBody::addText(std::string_view text)
{
    if (text.empty() || full())
        return;
    const char first = text.front();
    if (first == '{' || first == '[') {
        auto json = nlohmann::json::parse(text, nullptr, false);
        if (!json.is_discarded()) {
            addJson(json);
            return;
        }
    }
    addString(text);
}

template<typename Json>
void SearchBody::addJson(const Json &j)
{
    if (j.is_string()) {
        const auto &s = j.template get_ref<const std::string &>();
        // A JSON string that is itself JSON (tool arguments, an attribute holding messages).
        if (!s.empty() && (s.front() == '{' || s.front() == '['))
            addText(s);
        else
            addString(s);
    } else if (j.is_structured()) {
        for (const auto &item : j) {
            if (full())
                return;
            addJson(item);
        }
    }
}

void SearchBody::addString(std::string_view s)
{
    if (s.size() >= 24 && !m_seen.insert(std::hash<std::string_view> {}(s)).second)
        return; // said before in this trace (a conversation's history, sent with every call)
    if (!m_out.empty())
        m_out.push_back('\n');
    const std::size_t start = m_out.size();
    const std::size_t room = kMaxBytes - std::min(m_out.size(), kMaxBytes);
    m_out += s.substr(0, core::utf8Prefix(s, room));
    // The bytes the list's snippets mark matches with (SqliteStore::searchHits) and the one that
    // separates the fields of PostgreSQL's search text mean nothing here.
    for (std::size_t i = start; i < m_out.size(); ++i)
        if (m_out[i] == '\x02' || m_out[i] == '\x03' || m_out[i] == '\x1f')
            m_out[i] = ' ';
}

} // namespace agentops::store
