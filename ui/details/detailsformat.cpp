// SPDX-License-Identifier: MIT
#include "detailsformat.h"

#include "common/format.h"
#include "common/theme.h"

#include <QDateTime>
#include <QLocale>
#include <QPalette>

#include <cmath>

namespace agentops::ui::details {

QString formatTimestamp(std::int64_t ns)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ns / 1000'000);
    return t.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz t"));
}

QString formatOffset(std::int64_t ns)
{
    const QString sign = ns < 0 ? QStringLiteral("\u2212") : QStringLiteral("+");
    return sign + format::duration(ns < 0 ? -ns : ns);
}

QString formatBytes(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

QString formatCount(std::int64_t n)
{
    return QLocale().toString(qlonglong(n));
}

QColor kindColor(core::SpanKind kind)
{
    switch (kind) {
    case core::SpanKind::Agent: return QColor(0x7c, 0x4d, 0xff);
    case core::SpanKind::Llm: return QColor(0x1e, 0x88, 0xe5);
    case core::SpanKind::Tool: return QColor(0xf5, 0x7c, 0x00);
    case core::SpanKind::Chain: return QColor(0x00, 0x89, 0x7b);
    case core::SpanKind::Retriever: return QColor(0x43, 0xa0, 0x47);
    case core::SpanKind::Embedding: return QColor(0x00, 0xac, 0xc1);
    case core::SpanKind::Guardrail: return QColor(0xc0, 0xca, 0x33);
    case core::SpanKind::Evaluator: return QColor(0xd8, 0x1b, 0x60);
    case core::SpanKind::Other: break;
    }
    return QColor(0x75, 0x75, 0x75);
}

QColor mix(const QColor &a, const QColor &b, qreal t)
{
    return QColor::fromRgbF(float(a.redF() * t + b.redF() * (1 - t)), float(a.greenF() * t + b.greenF() * (1 - t)),
        float(a.blueF() * t + b.blueF() * (1 - t)));
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightnessF() < 0.5;
}

QColor errorColor(const QPalette &palette)
{
    return theme::errorText(palette);
}

} // namespace agentops::ui::details
