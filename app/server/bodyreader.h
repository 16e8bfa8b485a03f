// SPDX-License-Identifier: MIT
#pragma once

#include <zlib.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace agentops::server {

enum class BodyStatus { Ok, TooLargeWire, TooLargeDecompressed, BadEncoding, ReadFailed };

/// Takes a request body piece by piece while enforcing both size limits as the bytes come, so an
/// oversized or decompression-bomb body is refused without ever being held in memory in full.
/// Content-Encoding is undone here rather than by the HTTP layer so the wire and decompressed sizes
/// can both be counted, whatever carried the bytes (HTTP, or a receiver of another protocol).
class BodyReader
{
public:
    BodyReader(std::size_t maxWire, std::size_t maxDecompressed, bool gzip);
    ~BodyReader();
    BodyReader(const BodyReader &) = delete;
    BodyReader &operator=(const BodyReader &) = delete;

    bool feed(const char *data, std::size_t len);
    bool feed(std::string_view bytes) { return feed(bytes.data(), bytes.size()); }

    /// After the last piece: a gzip stream must have ended.
    BodyStatus finish();
    BodyStatus status() const { return m_status; }
    std::string &body() { return m_out; }
    std::size_t wireBytes() const { return m_wire; }

private:
    std::size_t m_maxWire;
    std::size_t m_maxOut;
    bool m_gzip;
    bool m_zInit = false;
    bool m_streamEnd = false;
    z_stream m_z {};
    std::size_t m_wire = 0;
    std::string m_out;
    BodyStatus m_status = BodyStatus::Ok;
};

/// "1 MiB", "64 KiB" or "1000 bytes": a limit as messages name it.
std::string formatSize(std::size_t bytes);

} // namespace agentops::server
