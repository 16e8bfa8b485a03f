// SPDX-License-Identifier: MIT
#pragma once

#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace agentops::server {

/// Line-oriented log for the server: human-readable text or one JSON object per line (for log
/// shippers). Thread-safe; each call writes one whole line.
class Log
{
public:
    enum class Format { Text, Json };
    using Fields = std::vector<std::pair<std::string, std::string>>; ///< values already JSON-encoded

    explicit Log(Format format = Format::Text, std::FILE *out = stdout)
        : m_format(format)
        , m_out(out)
    { }

    Format format() const { return m_format; }

    /// level: "info", "warn", "error". fields: extra key/value pairs; values must be JSON text.
    void write(std::string_view level, std::string_view message, const Fields &fields = {});
    void info(std::string_view message, const Fields &fields = {}) { write("info", message, fields); }
    void warn(std::string_view message, const Fields &fields = {}) { write("warn", message, fields); }
    void error(std::string_view message, const Fields &fields = {}) { write("error", message, fields); }

    static std::string str(std::string_view s);
    static std::string num(long long v) { return std::to_string(v); }
    static std::string num(double v);

private:
    Format m_format;
    std::FILE *m_out;
    std::mutex m_mutex;
};

} // namespace agentops::server
