// SPDX-License-Identifier: MIT
#pragma once
// A SQLite store in a temporary directory with captured framework traces (tests/fixtures/frameworks)
// ingested the way the receiver ingests them: read from the OTLP/JSON lines as sent, priced with the
// shipped table, committed by the ingest pipeline. Header-only; link agentops_ingest and agentops_store.

#include "core/pricing.h"
#include "ingest/tracefile.h"
#include "store/ingestpipeline.h"
#include "store/sqlitestore.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>

#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>

namespace agentops::test {

class FixtureStore
{
public:
    FixtureStore()
        : m_store(std::make_unique<store::SqliteStore>(m_dir.filePath(QStringLiteral("traces.db")).toStdString()))
        , m_pipeline(std::make_unique<store::IngestPipeline>(*m_store))
    {
        m_pipeline->setPriceTable(std::make_shared<core::PriceTable>(core::shippedPriceTable()));
    }
    ~FixtureStore() { m_pipeline->stop(); }

    /// Ingests tests/fixtures/frameworks/<scenario>.otlp.json, one request per line.
    void ingest(const std::string &scenario)
    {
        const std::string path = std::string(AGENTOPS_FIXTURES_DIR) + "/frameworks/" + scenario + ".otlp.json";
        std::string failure;
        const auto result = ingest::readTraceFile(path, [&](std::vector<core::Span> &&batch) -> std::string {
            const auto r = m_pipeline->submit(std::move(batch));
            if (r.outcome != store::IngestPipeline::Outcome::Committed)
                failure = "not committed";
            return failure;
        });
        if (!result.ok() || !failure.empty())
            throw std::runtime_error(path + ": " + result.error + failure);
    }

    /// tests/fixtures/frameworks/<scenario>.expected.json: what the producer reported.
    static nlohmann::json expected(const std::string &scenario)
    {
        std::ifstream in(std::string(AGENTOPS_FIXTURES_DIR) + "/frameworks/" + scenario + ".expected.json");
        return nlohmann::json::parse(in);
    }

    /// The run named run of an expected file.
    static nlohmann::json run(const nlohmann::json &expected, const std::string &run)
    {
        for (const auto &r : expected["runs"])
            if (r["run"] == run)
                return r;
        throw std::runtime_error("no run " + run);
    }

    store::SqliteStore &store() { return *m_store; }
    const QTemporaryDir &dir() const { return m_dir; }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<store::SqliteStore> m_store;
    std::unique_ptr<store::IngestPipeline> m_pipeline;
};

} // namespace agentops::test
