// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QObject>
#include <QString>

#include <cstdint>
#include <optional>

namespace agentops::ui {

/// A range of trace start times: a preset that ends now and moves with the clock, all time, or a
/// fixed custom range.
struct TimeRange
{
    enum class Preset { Last15Minutes, LastHour, Last24Hours, Last7Days, Last30Days, All, Custom };

    Preset preset = Preset::All;
    /// The ends of a custom range (unused by the other presets).
    QDateTime from;
    QDateTime to;

    static TimeRange last(Preset preset) { return { preset, {}, {} }; }
    static TimeRange custom(const QDateTime &from, const QDateTime &to) { return { Preset::Custom, from, to }; }

    /// Every preset, in the order the choices list them.
    static constexpr Preset Presets[] = { Preset::Last15Minutes, Preset::LastHour, Preset::Last24Hours,
        Preset::Last7Days, Preset::Last30Days, Preset::All, Preset::Custom };
    /// How far a preset reaches back from now; 0 for All and Custom.
    static std::int64_t spanOf(Preset preset);
    /// "Last 24 hours", "All time", "Custom…".
    static QString name(Preset preset);

    /// Where the range starts as of now; nullopt: open (all time).
    std::optional<std::int64_t> fromNs(const QDateTime &now = QDateTime::currentDateTime()) const;
    /// Where it ends (exclusive); nullopt: open (presets and all time end now, and include what
    /// arrives later).
    std::optional<std::int64_t> toNs() const;
    bool contains(std::int64_t startNs, const QDateTime &now = QDateTime::currentDateTime()) const;
    /// For people: "Last 24 hours", "All time", "2025-03-14 10:00 – 2025-03-14 11:00".
    QString label() const;

    bool operator==(const TimeRange &other) const;
};

/// The one time range the Dashboard and the trace list show and filter by. Both observe this
/// object (rangeChanged) and change it when the user picks a range on either; neither keeps a copy
/// of its own.
class TimeRangeModel : public QObject
{
    Q_OBJECT

public:
    explicit TimeRangeModel(QObject *parent = nullptr);

    const TimeRange &range() const { return m_range; }
    /// Emits rangeChanged when the range differs from the current one.
    void setRange(const TimeRange &range);

Q_SIGNALS:
    void rangeChanged(const agentops::ui::TimeRange &range);

private:
    TimeRange m_range;
};

} // namespace agentops::ui
