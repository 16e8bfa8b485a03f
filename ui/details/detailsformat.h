// SPDX-License-Identifier: MIT
#pragma once

#include "core/span.h"

#include <QColor>
#include <QString>

class QPalette;

namespace agentops::ui::details {

/// Local date and time with milliseconds.
QString formatTimestamp(std::int64_t ns);
/// "+1.23 s" relative to a reference time (format::duration with a sign).
QString formatOffset(std::int64_t ns);
/// "1.2 KB", "5.0 MB".
QString formatBytes(qint64 bytes);
/// Thousands separated per locale.
QString formatCount(std::int64_t n);

/// The colour that marks a span kind everywhere in the details (chips).
QColor kindColor(core::SpanKind kind);
/// a mixed into b: t = 0 is b, t = 1 is a.
QColor mix(const QColor &a, const QColor &b, qreal t);
/// True when the palette's window is dark.
bool isDark(const QPalette &palette);
/// The error colour, readable on the palette's base.
QColor errorColor(const QPalette &palette);

} // namespace agentops::ui::details
