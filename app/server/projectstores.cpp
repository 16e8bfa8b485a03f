// SPDX-License-Identifier: MIT
#include "server/projectstores.h"

namespace agentops::server {

ProjectStores::ProjectStores(
    Factory factory, store::IngestPipeline::Options pipelineOptions, std::shared_ptr<const core::PriceTable> prices)
    : m_factory(std::move(factory))
    , m_pipelineOptions(pipelineOptions)
    , m_prices(std::move(prices))
{ }

ProjectStores::~ProjectStores()
{
    stopAll();
}

ProjectStores::Scope ProjectStores::open(const store::Project &project)
{
    std::shared_ptr<Entry> entry;
    {
        std::lock_guard lock(m_mutex);
        auto &slot = m_entries[project.id];
        if (!slot)
            slot = std::make_shared<Entry>();
        entry = slot;
    }
    std::lock_guard lock(entry->mutex);
    if (!entry->store) {
        // Two first requests for one project must not both migrate it; a failure leaves the entry
        // closed, and the next request tries again.
        auto store = m_factory(project);
        entry->pipeline = std::make_unique<store::IngestPipeline>(*store, m_pipelineOptions);
        entry->pipeline->setPriceTable(m_prices);
        entry->store = std::move(store);
        entry->open = true;
    }
    if (entry->pricesJson != project.prices_json) {
        std::string error;
        // Overrides that do not load (the admin command checks them, so only a hand-edited
        // database) leave the server's table in place rather than pricing nothing.
        auto table = projectPrices(m_prices, project.prices_json, error);
        entry->pipeline->setPriceTable(table ? table : m_prices);
        entry->pricesJson = project.prices_json;
    }
    return { *entry->store, *entry->pipeline };
}

std::vector<std::pair<std::int64_t, std::shared_ptr<ProjectStores::Entry>>> ProjectStores::openEntries()
{
    std::vector<std::pair<std::int64_t, std::shared_ptr<Entry>>> out;
    std::lock_guard lock(m_mutex);
    for (const auto &[id, entry] : m_entries) {
        if (entry->open)
            out.emplace_back(id, entry);
    }
    return out;
}

std::shared_ptr<const core::PriceTable> ProjectStores::projectPrices(
    const std::shared_ptr<const core::PriceTable> &base, const std::string &pricesJson, std::string &error)
{
    if (pricesJson.empty())
        return base;
    core::PriceTable overrides;
    if (!overrides.load(pricesJson, error, core::PriceRow::Source::Override))
        return nullptr;
    auto table = std::make_shared<core::PriceTable>(base ? *base : core::PriceTable());
    table->merge(overrides);
    return table;
}

void ProjectStores::forEachOpen(const std::function<void(std::int64_t, Scope)> &f)
{
    // Store and pipeline of an open entry never change again, so they are used without its lock.
    for (const auto &[id, entry] : openEntries())
        f(id, { *entry->store, *entry->pipeline });
}

void ProjectStores::stopAll()
{
    for (const auto &[id, entry] : openEntries())
        entry->pipeline->stop();
}

} // namespace agentops::server
