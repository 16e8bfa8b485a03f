// SPDX-License-Identifier: MIT
#include "common/timerange.h"

#include "common/format.h"

#include <QCoreApplication>

namespace agentops::ui {

namespace {
constexpr std::int64_t kMinute = 60'000'000'000;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;

QString tr(const char *text)
{
    return QCoreApplication::translate("agentops::ui::TimeRange", text);
}
} // namespace

std::int64_t TimeRange::spanOf(Preset preset)
{
    switch (preset) {
    case Preset::Last15Minutes: return 15 * kMinute;
    case Preset::LastHour: return kHour;
    case Preset::Last24Hours: return kDay;
    case Preset::Last7Days: return 7 * kDay;
    case Preset::Last30Days: return 30 * kDay;
    case Preset::All:
    case Preset::Custom: break;
    }
    return 0;
}

QString TimeRange::name(Preset preset)
{
    switch (preset) {
    case Preset::Last15Minutes: return tr("Last 15 minutes");
    case Preset::LastHour: return tr("Last hour");
    case Preset::Last24Hours: return tr("Last 24 hours");
    case Preset::Last7Days: return tr("Last 7 days");
    case Preset::Last30Days: return tr("Last 30 days");
    case Preset::All: return tr("All time");
    case Preset::Custom: break;
    }
    return tr("Custom…");
}

std::optional<std::int64_t> TimeRange::fromNs(const QDateTime &now) const
{
    if (preset == Preset::All)
        return std::nullopt;
    if (preset == Preset::Custom)
        return format::toNs(from);
    return format::toNs(now) - spanOf(preset);
}

std::optional<std::int64_t> TimeRange::toNs() const
{
    if (preset == Preset::Custom)
        return format::toNs(to);
    return std::nullopt;
}

bool TimeRange::contains(std::int64_t startNs, const QDateTime &now) const
{
    const auto start = fromNs(now);
    const auto end = toNs();
    return (!start || startNs >= *start) && (!end || startNs < *end);
}

QString TimeRange::label() const
{
    if (preset != Preset::Custom)
        return name(preset);
    const QString pattern = QStringLiteral("yyyy-MM-dd HH:mm");
    return tr("%1 – %2").arg(from.toString(pattern), to.toString(pattern));
}

bool TimeRange::operator==(const TimeRange &other) const
{
    if (preset != other.preset)
        return false;
    return preset != Preset::Custom || (from == other.from && to == other.to);
}

TimeRangeModel::TimeRangeModel(QObject *parent)
    : QObject(parent)
{ }

void TimeRangeModel::setRange(const TimeRange &range)
{
    if (range == m_range)
        return;
    m_range = range;
    Q_EMIT rangeChanged(m_range);
}

} // namespace agentops::ui
