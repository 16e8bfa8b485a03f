// SPDX-License-Identifier: MIT
#include "spancolors.h"

#include "common/theme.h"

#include <QPalette>

namespace agentops::ui {

bool SpanColors::isDark(const QPalette &palette)
{
    return theme::isDark(palette);
}

QColor SpanColors::kindColor(core::SpanKind kind, bool dark)
{
    using core::SpanKind;
    // Bars stand out from the background at 3:1 at least (WCAG for graphics), and the duration
    // printed inside a bar reads at 4.5:1 in black or white (textOn). Light: saturated mid tones.
    // Dark: the same hues a step lighter.
    switch (kind) {
    case SpanKind::Agent: return dark ? QColor(0xa7, 0x8b, 0xfa) : QColor(0x7c, 0x4d, 0xdb);
    case SpanKind::Llm: return dark ? QColor(0x60, 0xa5, 0xfa) : QColor(0x25, 0x6f, 0xd9);
    case SpanKind::Tool: return dark ? QColor(0xfb, 0xbf, 0x24) : QColor(0xc4, 0x78, 0x00);
    case SpanKind::Chain: return dark ? QColor(0x94, 0xa3, 0xb8) : QColor(0x5b, 0x6b, 0x82);
    case SpanKind::Retriever: return dark ? QColor(0x4a, 0xde, 0x80) : QColor(0x1f, 0x9d, 0x55);
    case SpanKind::Embedding: return dark ? QColor(0xf4, 0x72, 0xb6) : QColor(0xb8, 0x32, 0x7f);
    case SpanKind::Guardrail: return dark ? QColor(0xd6, 0xa1, 0x6b) : QColor(0x9a, 0x5b, 0x1f);
    case SpanKind::Evaluator: return dark ? QColor(0x2d, 0xd4, 0xbf) : QColor(0x0e, 0x94, 0x88);
    case SpanKind::Other: break;
    }
    return dark ? QColor(0x9c, 0xa3, 0xaf) : QColor(0x8a, 0x93, 0x9f);
}

QColor SpanColors::errorColor(bool dark)
{
    return dark ? QColor(0xf8, 0x71, 0x71) : QColor(0xdc, 0x26, 0x26);
}

QColor SpanColors::faded(const QColor &color, const QColor &background, qreal amount)
{
    const auto mix = [amount](int a, int b) { return int(a + (b - a) * amount); };
    return QColor(mix(color.red(), background.red()), mix(color.green(), background.green()),
        mix(color.blue(), background.blue()));
}

QColor SpanColors::textOn(const QColor &color)
{
    // Whichever of near-black and white contrasts more (WCAG contrast ratio).
    const QColor dark(0x11, 0x18, 0x27);
    const QColor light(Qt::white);
    return theme::contrastRatio(dark, color) >= theme::contrastRatio(light, color) ? dark : light;
}

} // namespace agentops::ui
