// SPDX-License-Identifier: MIT
#include "dashboard/kpitile.h"

#include "common/theme.h"
#include "dashboard/metricsseries.h"

#include <QEvent>
#include <QLabel>
#include <QVBoxLayout>

namespace agentops::ui {

KpiTile::KpiTile(const QString &caption, QWidget *parent)
    : QFrame(parent)
    , m_caption(new QLabel(caption, this))
    , m_value(new QLabel(QStringLiteral("—"), this))
    , m_detail(new QLabel(this))
{
    setFrameShape(QFrame::Box);
    setFrameShadow(QFrame::Plain);
    setForegroundRole(QPalette::Mid);
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);

    QFont captionFont = m_caption->font();
    captionFont.setPointSizeF(captionFont.pointSizeF() * 0.9);
    m_caption->setFont(captionFont);
    QFont valueFont = m_value->font();
    valueFont.setPointSizeF(valueFont.pointSizeF() * 1.8);
    valueFont.setWeight(QFont::DemiBold);
    m_value->setFont(valueFont);
    m_detail->setFont(captionFont);
    m_value->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(14, 10, 14, 10);
    layout->setSpacing(2);
    layout->addWidget(m_caption);
    layout->addWidget(m_value);
    layout->addWidget(m_detail);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    updateColors();
}

void KpiTile::setValue(const QString &value, const QString &toolTip)
{
    m_value->setText(value);
    m_value->setToolTip(toolTip);
}

void KpiTile::setDetail(const QString &detail)
{
    m_warning.clear();
    m_detail->setText(detail);
    updateColors();
}

void KpiTile::setWarning(const QString &warning)
{
    m_warning = warning;
    m_detail->setText(QStringLiteral("⚠ ") + warning);
    updateColors();
}

QString KpiTile::value() const
{
    return m_value->text();
}

QString KpiTile::detail() const
{
    return m_warning.isEmpty() ? m_detail->text() : QString();
}

QString KpiTile::warning() const
{
    return m_warning;
}

bool KpiTile::hasWarning() const
{
    return !m_warning.isEmpty();
}

void KpiTile::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        updateColors();
}

void KpiTile::updateColors()
{
    // Captions are muted text, derived from the palette so dark themes keep their contrast (4.5:1 on
    // the tile).
    QPalette muted = palette();
    const QColor text = theme::readable(theme::mutedText(palette()), palette().color(QPalette::Base));
    muted.setColor(QPalette::WindowText, text);
    muted.setColor(QPalette::Text, text);
    m_caption->setPalette(muted);
    if (m_warning.isEmpty()) {
        m_detail->setPalette(muted);
    } else {
        QPalette warn = palette();
        const QColor amber = theme::readable(theme::warningText(palette()), palette().color(QPalette::Base));
        warn.setColor(QPalette::WindowText, amber);
        warn.setColor(QPalette::Text, amber);
        m_detail->setPalette(warn);
    }
}

} // namespace agentops::ui
