// SPDX-License-Identifier: MIT
// agentops-server: the headless ingest + query backend. Wires the store, the ingest pipeline and
// the HTTP routes together and stops cleanly on SIGTERM/SIGINT.
#include "core/pricing.h"
#include "ingest/decode.h"
#include "server/apiserver.h"
#include "server/options.h"
#include "store/ingestpipeline.h"
#include "store/sqlitestore.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <pthread.h>
#include <thread>

using namespace agentops;

int main(int argc, char **argv)
{
    server::ServerOptions options;
    std::string error;
    if (!server::parseServerOptions(std::vector<std::string>(argv + 1, argv + argc), options, error)) {
        std::fprintf(stderr, "agentops-server: %s\n", error.c_str());
        return 2;
    }
    if (options.help) {
        std::fputs(server::serverUsage().c_str(), stdout);
        return 0;
    }
    if (options.version) {
        std::printf("agentops-server %s\n", AGENTOPS_VERSION);
        return 0;
    }
    // A price file that does not load is a usage error like a bad flag: refuse to start rather than
    // ingest with prices the operator did not ask for.
    const auto prices = server::loadPriceTable(options.prices_file, error);
    if (!prices) {
        std::fprintf(stderr, "agentops-server: %s\n", error.c_str());
        return 2;
    }

    if (options.command == "reprice") {
        try {
            store::SqliteStore store(options.database);
            std::size_t lastPercent = 101;
            const std::size_t changed = store.reprice(
                [&prices](core::Span &span) { return core::repriceSpan(span, *prices); },
                [&lastPercent](std::size_t done, std::size_t total) {
                    const std::size_t percent = total ? done * 100 / total : 100;
                    if (percent != lastPercent) {
                        std::fprintf(stderr, "\rre-pricing: %zu%% (%zu of %zu spans)", percent, done, total);
                        lastPercent = percent;
                    }
                    return true;
                });
            std::fprintf(stderr, "\n");
            std::printf("re-priced %s: %zu spans changed cost\n", options.database.c_str(), changed);
            return 0;
        } catch (const std::exception &e) {
            std::fprintf(stderr, "agentops-server reprice: %s\n", e.what());
            return 1;
        }
    }

    // Signals are taken by one thread with sigwait, so the handling code may do anything (not
    // only async-signal-safe calls) and no worker thread is interrupted by them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    ingest::silenceProtobufLogging();
    server::tuneMemoryAllocator();
    server::Log log(options.log_format);
    try {
        std::error_code ec;
        const auto dbDir = std::filesystem::path(options.database).parent_path();
        if (!dbDir.empty())
            std::filesystem::create_directories(dbDir, ec);
        if (ec) {
            log.error("cannot create data directory",
                { { "path", server::Log::str(dbDir.string()) }, { "error", server::Log::str(ec.message()) } });
            return 1;
        }
        store::SqliteStore::Options storeOptions;
        storeOptions.sync = options.sync_full ? store::SqliteStore::Sync::Full : store::SqliteStore::Sync::Normal;
        store::SqliteStore store(options.database, storeOptions);
        store::IngestPipeline::Options pipelineOptions;
        pipelineOptions.max_queued_spans = options.queue_max_spans;
        store::IngestPipeline pipeline(store, pipelineOptions);
        pipeline.setPriceTable(prices);
        server::ApiServer api(store, pipeline, options.http, log);
        if (!api.bind(error)) {
            log.error(error);
            return 1;
        }
        const std::string base = "http://" + options.http.host + ":" + std::to_string(api.port());
        log.info("listening on " + base,
            { { "database", server::Log::str(options.database) },
                { "otlp_endpoint", server::Log::str(base + "/v1/traces") },
                { "version", server::Log::str(AGENTOPS_VERSION) } });
        if (options.log_format == server::Log::Format::Text) {
            std::printf("\nPoint an OpenTelemetry exporter at it:\n"
                        "  export OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=%s/v1/traces\n"
                        "  export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf\n"
                        "Browse what arrived:  curl %s/api/v1/traces\n\n",
                base.c_str(), base.c_str());
            std::fflush(stdout);
        }

        std::atomic<bool> serving { true };
        std::thread signalThread([&] {
            int sig = 0;
            sigwait(&signals, &sig);
            if (serving)
                log.info(std::string("received ") + (sig == SIGTERM ? "SIGTERM" : "SIGINT") + ", shutting down");
            api.stop();
        });

        api.run(); // returns after stop(), with in-flight requests finished
        // run() can also end without a signal (listen failure): wake the signal thread.
        serving = false;
        pthread_kill(signalThread.native_handle(), SIGTERM);
        signalThread.join();
        pipeline.stop(); // commits everything that was accepted
        const auto c = pipeline.counters();
        log.info("stopped",
            { { "committed_spans", server::Log::num(static_cast<long long>(c.committed_spans)) },
                { "duplicate_spans", server::Log::num(static_cast<long long>(c.duplicate_spans)) } });
    } catch (const std::exception &e) {
        log.error(std::string("fatal: ") + e.what());
        return 1;
    }
    return 0;
}
