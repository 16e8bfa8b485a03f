// SPDX-License-Identifier: MIT
#pragma once

#include "core/span.h"

#include <QColor>

class QPalette;

namespace agentops::ui {

/// The colours of the waterfall: one hue per span kind, chosen to be told apart at a glance on light
/// and dark palettes alike, and a red that is used for errors only.
class SpanColors
{
public:
    static bool isDark(const QPalette &palette);
    static QColor kindColor(core::SpanKind kind, bool dark);
    static QColor errorColor(bool dark);
    /// kind's colour faded towards the background, for spans off the critical path.
    static QColor faded(const QColor &color, const QColor &background, qreal amount = 0.72);
    /// Black or white, whichever reads better on color.
    static QColor textOn(const QColor &color);
};

} // namespace agentops::ui
