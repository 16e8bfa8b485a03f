// SPDX-License-Identifier: MIT
#include "signin/connectionbanner.h"

#include "common/theme.h"

#include <QApplication>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>

namespace agentops::ui {

ConnectionBanner::ConnectionBanner(QWidget *parent)
    : QFrame(parent)
    , m_icon(new QLabel(this))
    , m_text(new QLabel(this))
    , m_retry(new QPushButton(tr("Retry Now"), this))
    , m_signIn(new QPushButton(tr("Sign In…"), this))
{
    setObjectName(QStringLiteral("connectionBanner"));
    setFrameShape(QFrame::NoFrame);
    setAutoFillBackground(true);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->addWidget(m_icon);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_retry);
    layout->addWidget(m_signIn);
    connect(m_retry, &QPushButton::clicked, this, &ConnectionBanner::retryRequested);
    connect(m_signIn, &QPushButton::clicked, this, &ConnectionBanner::signInRequested);
    setVisible(false);
}

QString ConnectionBanner::text() const
{
    return m_text->text();
}

void ConnectionBanner::show(Kind kind, const QColor &accent, const QString &text, const QString &detail)
{
    m_kind = kind;
    m_accent = accent;
    applyColors();
    m_text->setText(text);
    m_text->setToolTip(detail);
    const auto icon = kind == Kind::Offline ? QStyle::SP_MessageBoxWarning
        : kind == Kind::Unauthorized        ? QStyle::SP_MessageBoxInformation
                                            : QStyle::SP_MessageBoxCritical;
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize);
    m_icon->setPixmap(style()->standardIcon(icon).pixmap(size, size));
    m_retry->setVisible(kind == Kind::Offline || kind == Kind::ServerError);
    m_signIn->setVisible(kind == Kind::Unauthorized || kind == Kind::Forbidden);
    setVisible(true);
}

void ConnectionBanner::applyColors()
{
    if (!m_accent.isValid())
        return;
    m_coloring = true;
    // The window's palette, not this strip's own (which holds the colours set last time).
    const QPalette base = parentWidget() ? parentWidget()->palette() : QApplication::palette();
    const QColor window = base.color(QPalette::Window);
    const QColor background = theme::mix(m_accent, window, theme::isDark(base) ? 0.28 : 0.22);
    QPalette p = palette();
    p.setColor(QPalette::Window, background);
    p.setColor(QPalette::WindowText, theme::readable(base.color(QPalette::WindowText), background, 7.0));
    setPalette(p);
    m_coloring = false;
}

void ConnectionBanner::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && !m_coloring)
        applyColors();
}

void ConnectionBanner::showOffline(const QString &server, int retryInSeconds, const QString &detail)
{
    const QString text = retryInSeconds > 0 ? tr("Cannot reach %1 — retrying in %2 s").arg(server).arg(retryInSeconds)
                                            : tr("Cannot reach %1 — retrying…").arg(server);
    show(Kind::Offline, QColor(0xf5, 0xb7, 0x00), text, detail);
}

void ConnectionBanner::showUnauthorized(const QString &server)
{
    show(Kind::Unauthorized, QColor(0x3b, 0x82, 0xf6),
        tr("Signed out of %1: the session expired or was revoked. Sign in again to see its traces.").arg(server), {});
}

void ConnectionBanner::showForbidden(const QString &server, const QString &message)
{
    show(Kind::Forbidden, QColor(0xe5, 0x48, 0x48), tr("%1 refused access: %2").arg(server, message), message);
}

void ConnectionBanner::showServerError(const QString &server, const QString &message)
{
    show(Kind::ServerError, QColor(0xe5, 0x48, 0x48), tr("%1 reported an error: %2").arg(server, message), message);
}

void ConnectionBanner::clear()
{
    m_kind = Kind::None;
    m_text->clear();
    setVisible(false);
}

} // namespace agentops::ui
