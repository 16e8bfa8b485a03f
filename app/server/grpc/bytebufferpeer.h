// SPDX-License-Identifier: MIT
#pragma once

#include <grpc/byte_buffer.h>
#include <grpcpp/support/byte_buffer.h>

namespace grpc::internal {

/// The C buffer under a grpc::ByteBuffer. ByteBuffer names this class its friend (gRPC's own tests
/// define it the same way) and has no other way to hand out the bytes as received: Dump() and the
/// protobuf readers go through grpc_byte_buffer_reader_init(), which undoes the message's
/// compression in one piece, with no bound. The OTLP/gRPC receiver turns gRPC's decompression off
/// and takes the compressed bytes from here, to inflate them within its own limit.
class GrpcByteBufferPeer
{
public:
    explicit GrpcByteBufferPeer(ByteBuffer *buffer)
        : m_buffer(buffer)
    { }
    grpc_byte_buffer *c_buffer() { return m_buffer->c_buffer(); }
    /// Takes @p raw (its reference) as the buffer's content, for a client that sends bytes it has
    /// compressed itself.
    void set_c_buffer(grpc_byte_buffer *raw)
    {
        m_buffer->Clear();
        *m_buffer->c_buffer_ptr() = raw;
    }

private:
    ByteBuffer *m_buffer;
};

} // namespace grpc::internal
