// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <string>

namespace agentops::server {

/// Where the OTLP/gRPC receiver (GrpcReceiver, target agentops_grpc) listens, and the limits of its
/// own that a gRPC connection has beside those it shares with HTTP (TLS files, body and decompressed
/// sizes, header bytes, handshake and shutdown deadlines, rate limits: the ApiServer's ServerConfig).
/// docs/deployment.md lists them with the agentops-server options that set them.
struct GrpcConfig
{
    std::string host = "127.0.0.1";
    int port = 4317; ///< 0 picks a free port (see GrpcReceiver::port())
    /// Calls at once on one connection (HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS).
    int max_concurrent_streams = 32;
    /// A connection without calls is closed (GOAWAY) after this.
    int idle_timeout_seconds = 300;
    /// Every connection is told to go away after this, and closed a shutdown timeout later: the
    /// deadline of any call, however slowly its message arrives. Clients reconnect by themselves.
    int max_connection_age_seconds = 600;
    /// A connection quiet this long is pinged; without an answer within 20 s it is closed.
    int keepalive_seconds = 60;
    /// Threads that run the calls (key check, decoding, the wait for the commit); 0: as many as the
    /// ApiServer's worker_threads.
    int worker_threads = 0;
    /// Calls queued or running at once; more are answered UNAVAILABLE with RetryInfo. 0: four per
    /// worker thread.
    int max_pending_calls = 0;
    /// Bytes of the messages of those calls (as received) at once; a call that would go beyond is
    /// answered UNAVAILABLE with RetryInfo, so the messages waiting for a worker stay bounded however
    /// large each is. 0: 16 times the body limit.
    std::size_t max_pending_bytes = 0;
    /// Bytes the connections may make the server hold in messages still being received (before
    /// their call starts, so before any key is checked): beyond it the connection holding most is
    /// closed (GrpcAcceptor). Also gRPC's ResourceQuota, which gRPC 1.51 only uses as a hint.
    /// 0: 16 times the body limit.
    std::size_t memory_bytes = 0;
    /// No bound on that memory (--grpc-max-memory none): what gRPC alone does.
    bool unbounded_memory = false;
};

} // namespace agentops::server
