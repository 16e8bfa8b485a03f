// SPDX-License-Identifier: MIT
#pragma once

#include "core/pricing.h"
#include "store/authstore.h"
#include "store/ingestpipeline.h"
#include "store/tracestore.h"

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace agentops::server {

/// The trace stores of a team server: one store and one ingest pipeline per project, opened on
/// first use. A project's traces live apart from every other project's (a file or a database schema
/// of their own), so a query can only ever reach the project it was resolved to.
class ProjectStores
{
public:
    /// Opens the store of a project (creating it when new). Throws StoreError.
    using Factory = std::function<std::unique_ptr<store::TraceStore>(const store::Project &)>;

    ProjectStores(Factory factory, store::IngestPipeline::Options pipelineOptions,
        std::shared_ptr<const core::PriceTable> prices);
    ~ProjectStores();

    struct Scope
    {
        store::TraceStore &store;
        store::IngestPipeline &pipeline;
    };
    /// The project's store and pipeline, opened on first use; its pipeline prices with the server's
    /// table and the project's overrides as the project row given says (so a change made by the
    /// admin command applies from the next request on). Throws StoreError.
    Scope open(const store::Project &project);
    /// The server's table with the project's price overrides laid over it; nullptr with a message
    /// when the overrides do not load.
    static std::shared_ptr<const core::PriceTable> projectPrices(
        const std::shared_ptr<const core::PriceTable> &base, const std::string &pricesJson, std::string &error);
    /// Calls f for every store opened so far (for /readyz, /metrics).
    void forEachOpen(const std::function<void(std::int64_t projectId, Scope)> &f);
    /// Commits what every pipeline accepted and stops them (shutdown).
    void stopAll();

private:
    /// One project's store. Opened under its own mutex, so opening one project (a PostgreSQL
    /// connect, a migration) never holds up requests to the others; entries are never removed.
    struct Entry
    {
        std::mutex mutex;
        std::atomic<bool> open { false };
        std::unique_ptr<store::TraceStore> store;
        std::unique_ptr<store::IngestPipeline> pipeline;
        std::string pricesJson; ///< the overrides the pipeline's table was built with
    };
    /// The entries opened so far.
    std::vector<std::pair<std::int64_t, std::shared_ptr<Entry>>> openEntries();

    Factory m_factory;
    store::IngestPipeline::Options m_pipelineOptions;
    std::shared_ptr<const core::PriceTable> m_prices;
    std::mutex m_mutex; ///< guards m_entries (the map, not the entries)
    std::map<std::int64_t, std::shared_ptr<Entry>> m_entries;
};

} // namespace agentops::server
