// SPDX-License-Identifier: MIT
#include "server/http/message.h"

#include "core/text.h"

#include <algorithm>

namespace agentops::server::http {

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    return core::equalsNoCase(a, b);
}

namespace {

const std::string *find(const Fields &fields, std::string_view name)
{
    for (const auto &[k, v] : fields) {
        if (equalsIgnoringCase(k, name))
            return &v;
    }
    return nullptr;
}

} // namespace

std::string Request::header(std::string_view name) const
{
    const auto *v = find(headers, name);
    return v ? *v : std::string();
}

bool Request::hasHeader(std::string_view name) const
{
    return find(headers, name) != nullptr;
}

std::string Request::param(std::string_view name) const
{
    for (const auto &[k, v] : query) {
        if (k == name)
            return v;
    }
    return {};
}

bool Request::hasParam(std::string_view name) const
{
    return std::any_of(query.begin(), query.end(), [&](const auto &p) { return p.first == name; });
}

void Response::setHeader(std::string_view name, std::string value)
{
    std::erase_if(headers, [&](const auto &f) { return equalsIgnoringCase(f.first, name); });
    headers.emplace_back(std::string(name), std::move(value));
}

std::string Response::header(std::string_view name) const
{
    const auto *v = find(headers, name);
    return v ? *v : std::string();
}

bool Response::hasHeader(std::string_view name) const
{
    return find(headers, name) != nullptr;
}

void Response::setContent(std::string content, std::string_view contentType)
{
    body = std::move(content);
    setHeader("Content-Type", std::string(contentType));
}

} // namespace agentops::server::http
