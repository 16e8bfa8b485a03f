// SPDX-License-Identifier: MIT
#pragma once

#include "server/grpcconfig.h"

#include <memory>
#include <string>

namespace agentops::server {

class ApiServer;

/// The OTLP/gRPC receiver: opentelemetry.proto.collector.trace.v1.TraceService/Export on gRPC C++,
/// beside an ApiServer whose IngestService, rate limits, metrics, log, TLS files and limits it
/// shares. gRPC's own threads carry the connections (HTTP/2, TLS, decompression) and never wait:
/// each call goes to a worker pool of this receiver, which checks the key, decodes, stores, and
/// answers after the commit. See docs/architecture.md "OTLP/gRPC".
class GrpcReceiver
{
public:
    GrpcReceiver(ApiServer &api, GrpcConfig config);
    ~GrpcReceiver();

    GrpcReceiver(const GrpcReceiver &) = delete;
    GrpcReceiver &operator=(const GrpcReceiver &) = delete;

    /// Binds and serves (on gRPC's threads) until stop(); false with a reason (the port is in use,
    /// the TLS files do not load).
    bool start(std::string &error);
    /// The bound port after start() (differs from the config when it asks for port 0).
    int port() const;
    /// "127.0.0.1:4317", "[::1]:4317": what an exporter's endpoint names.
    std::string address() const;
    /// Stops accepting, lets calls in flight finish within the ApiServer's shutdown timeout, then
    /// cancels the rest; returns when every call has ended. Safe from any thread, more than once
    /// (a second caller waits for the first).
    void stop();

    class Impl;

private:
    std::unique_ptr<Impl> d;
};

} // namespace agentops::server
