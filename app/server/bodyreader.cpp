// SPDX-License-Identifier: MIT
#include "server/bodyreader.h"

#include <cstring>

namespace agentops::server {

BodyReader::BodyReader(std::size_t maxWire, std::size_t maxDecompressed, bool gzip)
    : m_maxWire(maxWire)
    , m_maxOut(maxDecompressed)
    , m_gzip(gzip)
{
    if (m_gzip) {
        std::memset(&m_z, 0, sizeof m_z);
        // 15 + 32: zlib detects gzip or zlib headers by itself.
        m_zInit = inflateInit2(&m_z, 15 + 32) == Z_OK;
    }
}

BodyReader::~BodyReader()
{
    if (m_zInit)
        inflateEnd(&m_z);
}

bool BodyReader::feed(const char *data, std::size_t len)
{
    m_wire += len;
    if (m_wire > m_maxWire) {
        m_status = BodyStatus::TooLargeWire;
        return false;
    }
    if (!m_gzip) {
        if (m_out.size() + len > m_maxOut) {
            m_status = BodyStatus::TooLargeDecompressed;
            return false;
        }
        m_out.append(data, len);
        return true;
    }
    if (!m_zInit) {
        m_status = BodyStatus::BadEncoding;
        return false;
    }
    m_z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data));
    m_z.avail_in = static_cast<uInt>(len);
    char buf[65536];
    while (m_z.avail_in > 0 && !m_streamEnd) {
        m_z.next_out = reinterpret_cast<Bytef *>(buf);
        m_z.avail_out = sizeof buf;
        const int rc = inflate(&m_z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
            m_status = BodyStatus::BadEncoding;
            return false;
        }
        const std::size_t produced = sizeof buf - m_z.avail_out;
        if (m_out.size() + produced > m_maxOut) {
            m_status = BodyStatus::TooLargeDecompressed;
            return false;
        }
        m_out.append(buf, produced);
        if (rc == Z_STREAM_END)
            m_streamEnd = true;
        if (rc == Z_BUF_ERROR)
            break;
    }
    return true;
}

BodyStatus BodyReader::finish()
{
    if (m_status == BodyStatus::Ok && m_gzip && !m_streamEnd && m_wire > 0)
        m_status = BodyStatus::BadEncoding;
    return m_status;
}

std::string formatSize(std::size_t bytes)
{
    if (bytes % (1u << 20) == 0)
        return std::to_string(bytes >> 20) + " MiB";
    if (bytes % 1024 == 0)
        return std::to_string(bytes >> 10) + " KiB";
    return std::to_string(bytes) + " bytes";
}

} // namespace agentops::server
