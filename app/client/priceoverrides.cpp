// SPDX-License-Identifier: MIT
#include "client/priceoverrides.h"

#include "store/privatefiles.h"
#include "store/tracestore.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

#include <nlohmann/json.hpp>

namespace agentops::client {

namespace {

// Insertion order keeps the file in the order of the documented format, so it reads like
// resources/prices.json when someone opens it.
using Json = nlohmann::ordered_json;

Json pricesJson(const core::TokenPrices &p)
{
    Json out = Json::object();
    if (p.input)
        out["input"] = *p.input;
    if (p.cache_read)
        out["cache_read"] = *p.cache_read;
    if (p.cache_write)
        out["cache_write"] = *p.cache_write;
    if (p.output)
        out["output"] = *p.output;
    if (p.reasoning)
        out["reasoning"] = *p.reasoning;
    return out;
}

Json rowJson(const core::PriceRow &row)
{
    Json out = Json::object();
    out["id"] = row.id;
    out["provider"] = row.provider;
    if (!row.models.empty())
        out["models"] = row.models;
    if (!row.patterns.empty())
        out["patterns"] = row.patterns;
    out["prices"] = pricesJson(row.prices);
    if (!row.tiers.empty()) {
        Json tiers = Json::array();
        for (const auto &t : row.tiers)
            tiers.push_back(
                Json { { "above_input_tokens", t.above_input_tokens }, { "prices", pricesJson(t.prices) } });
        out["tiers"] = std::move(tiers);
    }
    out["as_of"] = row.as_of;
    if (!row.url.empty())
        out["url"] = row.url;
    if (!row.note.empty())
        out["note"] = row.note;
    return out;
}

} // namespace

PriceOverrides::PriceOverrides(QString path)
    : m_path(path.isEmpty() ? defaultPath() : std::move(path))
{ }

QString PriceOverrides::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/prices.json");
}

bool PriceOverrides::load(QString *error)
{
    QFile file(m_path);
    if (!file.exists()) {
        m_table = {};
        return true;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QCoreApplication::translate("PriceOverrides", "Cannot read the price overrides %1: %2")
                         .arg(m_path, file.errorString());
        return false;
    }
    const QByteArray text = file.readAll();
    std::string why;
    auto table = core::PriceTable::fromJson(std::string_view(text.constData(), static_cast<std::size_t>(text.size())),
        why, core::PriceRow::Source::Override);
    if (!table) {
        if (error)
            *error = QCoreApplication::translate("PriceOverrides", "The price overrides in %1 are not valid: %2")
                         .arg(m_path, QString::fromStdString(why));
        return false;
    }
    m_table = std::move(*table);
    return true;
}

bool PriceOverrides::save(QString *error) const
{
    const QFileInfo info(m_path);
    // The app's data folder: created private, as the store creates it (it may come first).
    try {
        store::createPrivateDirectories(QFile::encodeName(info.absolutePath()).toStdString());
    } catch (const store::StoreError &) {
        if (error)
            *error
                = QCoreApplication::translate("PriceOverrides", "Cannot create the folder %1").arg(info.absolutePath());
        return false;
    }
    QSaveFile file(m_path);
    const std::string text = toJson(m_table.rows());
    if (!file.open(QIODevice::WriteOnly)
        || file.write(text.data(), static_cast<qint64>(text.size())) != static_cast<qint64>(text.size())
        || !file.commit()) {
        if (error)
            *error = QCoreApplication::translate("PriceOverrides", "Cannot write the price overrides %1: %2")
                         .arg(m_path, file.errorString());
        return false;
    }
    return true;
}

bool PriceOverrides::setRows(const std::vector<core::PriceRow> &rows, QString *error)
{
    // Through the loader, so that what is kept is exactly what load() will read back.
    std::string why;
    auto table = core::PriceTable::fromJson(toJson(rows), why, core::PriceRow::Source::Override);
    if (!table) {
        if (error)
            *error = QString::fromStdString(why);
        return false;
    }
    m_table = std::move(*table);
    return true;
}

std::shared_ptr<const core::PriceTable> PriceOverrides::effectiveTable() const
{
    return effectiveTable(m_table);
}

std::shared_ptr<const core::PriceTable> PriceOverrides::effectiveTable(const core::PriceTable &overrides)
{
    auto table = std::make_shared<core::PriceTable>(core::shippedPriceTable());
    if (!overrides.empty())
        table->merge(overrides);
    return table;
}

std::string PriceOverrides::toJson(const std::vector<core::PriceRow> &rows)
{
    Json doc = Json::object();
    doc["format"] = 1;
    doc["currency"] = "USD";
    doc["unit"] = "per_million_tokens";
    Json list = Json::array();
    for (const auto &row : rows)
        list.push_back(rowJson(row));
    doc["rows"] = std::move(list);
    return doc.dump(2, ' ', false, Json::error_handler_t::replace) + '\n';
}

} // namespace agentops::client
