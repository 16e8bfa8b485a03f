// SPDX-License-Identifier: MIT
#include "signin/connectionbanner.h"

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

void ConnectionBanner::show(Kind kind, const QColor &background, const QString &text, const QString &detail)
{
    m_kind = kind;
    QPalette p = palette();
    p.setColor(QPalette::Window, background);
    p.setColor(QPalette::WindowText, QColor(0x20, 0x20, 0x20));
    setPalette(p);
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

void ConnectionBanner::showOffline(const QString &server, int retryInSeconds, const QString &detail)
{
    const QString text = retryInSeconds > 0 ? tr("Cannot reach %1 — retrying in %2 s").arg(server).arg(retryInSeconds)
                                            : tr("Cannot reach %1 — retrying…").arg(server);
    show(Kind::Offline, QColor(0xff, 0xf1, 0xc4), text, detail);
}

void ConnectionBanner::showUnauthorized(const QString &server)
{
    show(Kind::Unauthorized, QColor(0xdd, 0xea, 0xfb),
        tr("Signed out of %1: the session expired or was revoked. Sign in again to see its traces.").arg(server), {});
}

void ConnectionBanner::showForbidden(const QString &server, const QString &message)
{
    show(Kind::Forbidden, QColor(0xfb, 0xdd, 0xdd), tr("%1 refused access: %2").arg(server, message), message);
}

void ConnectionBanner::showServerError(const QString &server, const QString &message)
{
    show(Kind::ServerError, QColor(0xfb, 0xdd, 0xdd), tr("%1 reported an error: %2").arg(server, message), message);
}

void ConnectionBanner::clear()
{
    m_kind = Kind::None;
    m_text->clear();
    setVisible(false);
}

} // namespace agentops::ui
