// SPDX-License-Identifier: MIT
#pragma once

#include "core/pricing.h"

#include <QString>

#include <memory>
#include <string>
#include <vector>

namespace agentops::client {

/// The user's own price rows, kept in <AppDataLocation>/prices.json in the format of the shipped
/// resources/prices.json (docs/pricing.md). They are laid over the shipped table: a row with a shipped
/// row's id replaces it, other rows price models the shipped table does not list (or win the names
/// they share with it).
class PriceOverrides
{
public:
    /// path empty: defaultPath().
    explicit PriceOverrides(QString path = {});

    /// <AppDataLocation>/prices.json, next to the default trace database.
    static QString defaultPath();
    const QString &path() const { return m_path; }

    /// Reads the file. A missing file means no overrides. On failure (unreadable, or a row the price
    /// table loader rejects) returns false with a message naming the file, row and field; the rows are
    /// left as they were.
    bool load(QString *error = nullptr);
    /// Writes the rows (atomically: a crash never leaves half a file). False with a message on failure.
    bool save(QString *error = nullptr) const;

    /// The override rows, tagged PriceRow::Source::Override.
    const std::vector<core::PriceRow> &rows() const { return m_table.rows(); }
    const core::PriceTable &table() const { return m_table; }
    /// Replaces the rows after validating them as one document, as load() would read them back (ids
    /// and names unique among the overrides). False with the loader's message when they are not.
    bool setRows(const std::vector<core::PriceRow> &rows, QString *error = nullptr);

    /// The table spans are priced with: the shipped one with these overrides merged over it.
    std::shared_ptr<const core::PriceTable> effectiveTable() const;
    static std::shared_ptr<const core::PriceTable> effectiveTable(const core::PriceTable &overrides);

    /// The rows as a price table document (the file's content).
    static std::string toJson(const std::vector<core::PriceRow> &rows);

private:
    QString m_path;
    core::PriceTable m_table;
};

} // namespace agentops::client
