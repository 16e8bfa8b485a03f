// SPDX-License-Identifier: MIT
#include "server/log.h"

#include "core/crashhandler.h"

#include "core/span.h"
#include "core/spanjson.h"

#include <chrono>
#include <ctime>

namespace agentops::server {

static std::string nowRfc3339Millis()
{
    const auto now = std::chrono::system_clock::now();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    const std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm {};
    gmtime_r(&secs, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
        tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
    return buf;
}

std::string Log::str(std::string_view s)
{
    std::string out;
    core::appendJsonString(out, s);
    return out;
}

std::string Log::num(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    return buf;
}

void Log::write(std::string_view level, std::string_view message, const Fields &fields)
{
    std::string line;
    if (m_format == Format::Json) {
        line = "{\"ts\":\"" + nowRfc3339Millis() + "\",\"level\":" + str(level) + ",\"msg\":" + str(message);
        for (const auto &[k, v] : fields) {
            line += ',';
            core::appendJsonString(line, k);
            line += ':';
            line += v;
        }
        line += "}\n";
    } else {
        line = nowRfc3339Millis() + ' ';
        for (char c : level)
            line += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
        line += ' ';
        line += message;
        for (const auto &[k, v] : fields) {
            line += ' ';
            line += k;
            line += '=';
            // Strings read better unquoted in text logs when they have no spaces.
            if (v.size() >= 2 && v.front() == '"' && v.find(' ') == std::string::npos)
                line.append(v, 1, v.size() - 2);
            else
                line += v;
        }
        line += '\n';
    }
    std::lock_guard lock(m_mutex);
    crash::logLine(std::string_view(line).substr(0, line.size() - 1)); // the last lines go into a crash report
    std::fwrite(line.data(), 1, line.size(), m_out);
    std::fflush(m_out);
}

} // namespace agentops::server
