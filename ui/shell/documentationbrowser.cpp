// SPDX-License-Identifier: MIT
#include "shell/documentationbrowser.h"

#include <QCoreApplication>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QScreen>
#include <QStyle>
#include <QTextBrowser>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

#ifndef AGENTOPS_DOC_DIR
#define AGENTOPS_DOC_DIR ""
#endif
#ifndef AGENTOPS_SOURCE_DOC_DIR
#define AGENTOPS_SOURCE_DOC_DIR ""
#endif

namespace agentops::ui {

QStringList DocumentationBrowser::searchPaths()
{
    QStringList paths;
    const QString installed = QDir::cleanPath(
        QCoreApplication::applicationDirPath() + QStringLiteral("/../share/doc/agentops-monitor/README.md"));
    paths << installed;
    for (const char *dir : { AGENTOPS_DOC_DIR, AGENTOPS_SOURCE_DOC_DIR }) {
        const QString path = QString::fromUtf8(dir);
        if (!path.isEmpty() && !paths.contains(path + QStringLiteral("/README.md")))
            paths << path + QStringLiteral("/README.md");
    }
    return paths;
}

QString DocumentationBrowser::readmePath()
{
    const QStringList paths = searchPaths();
    for (const QString &path : paths)
        if (QFileInfo(path).isFile())
            return path;
    return {};
}

DocumentationBrowser::DocumentationBrowser(QWidget *parent)
    : QDialog(parent)
    , m_browser(new QTextBrowser(this))
    , m_back(new QToolButton(this))
    , m_forward(new QToolButton(this))
    , m_home(new QToolButton(this))
    , m_location(new QLabel(this))
{
    setObjectName(QStringLiteral("documentationBrowser"));
    setWindowTitle(tr("AgentOps Monitor Documentation"));
    m_browser->setObjectName(QStringLiteral("documentationText"));
    // Pages of the documentation open here; web links in the browser.
    m_browser->setOpenLinks(false);
    connect(m_browser, &QTextBrowser::anchorClicked, this, [this](const QUrl &url) {
        const QUrl target = m_browser->source().resolved(url);
        if (!(target.isLocalFile() && open(target)))
            QDesktopServices::openUrl(target);
    });

    m_back->setIcon(style()->standardIcon(QStyle::SP_ArrowBack));
    m_back->setToolTip(tr("Back (Alt+Left)"));
    m_back->setShortcut(QKeySequence::Back);
    m_forward->setIcon(style()->standardIcon(QStyle::SP_ArrowForward));
    m_forward->setToolTip(tr("Forward (Alt+Right)"));
    m_forward->setShortcut(QKeySequence::Forward);
    m_home->setText(tr("Contents"));
    m_home->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_home->setToolTip(tr("The README, which links every other page"));
    for (QToolButton *b : { m_back, m_forward, m_home })
        b->setAutoRaise(true);
    connect(m_back, &QToolButton::clicked, m_browser, &QTextBrowser::backward);
    connect(m_forward, &QToolButton::clicked, m_browser, &QTextBrowser::forward);
    connect(m_home, &QToolButton::clicked, this, [this] { open(m_homeUrl); });
    connect(m_browser, &QTextBrowser::sourceChanged, this, &DocumentationBrowser::updateLocation);
    connect(m_browser, &QTextBrowser::backwardAvailable, m_back, &QToolButton::setEnabled);
    connect(m_browser, &QTextBrowser::forwardAvailable, m_forward, &QToolButton::setEnabled);
    m_back->setEnabled(false);
    m_forward->setEnabled(false);
    m_location->setObjectName(QStringLiteral("documentationLocation"));
    m_location->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_location->setForegroundRole(QPalette::PlaceholderText);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_back);
    bar->addWidget(m_forward);
    bar->addWidget(m_home);
    bar->addWidget(m_location, 1);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_browser, 1);
    layout->addWidget(buttons);

    const QString readme = readmePath();
    if (readme.isEmpty()) {
        m_browser->setPlainText(tr("The documentation is not installed. The agentops-monitor package puts it in "
                                   "/usr/share/doc/agentops-monitor; looked in:\n\n%1")
                                    .arg(searchPaths().join(QLatin1Char('\n'))));
    } else {
        m_homeUrl = QUrl::fromLocalFile(readme);
        open(m_homeUrl);
    }
    // Roomy for reading, never larger than the screen.
    const int em = fontMetrics().horizontalAdvance(QLatin1Char('M'));
    const QRect screen = this->screen() ? this->screen()->availableGeometry() : QRect(0, 0, 1280, 720);
    resize(std::min(em * 72, screen.width() * 9 / 10), std::min(em * 52, screen.height() * 9 / 10));
}

bool DocumentationBrowser::open(const QUrl &url)
{
    QUrl file = url;
    file.setFragment(QString());
    if (!QFileInfo(file.toLocalFile()).isFile())
        return false;
    const QString suffix = QFileInfo(file.toLocalFile()).suffix().toLower();
    const auto type = suffix == QLatin1String("md") || suffix == QLatin1String("markdown")
        ? QTextDocument::MarkdownResource
        : QTextDocument::UnknownResource;
    m_browser->setSource(url, type);
    updateLocation();
    return true;
}

QUrl DocumentationBrowser::source() const
{
    return m_browser->source();
}

void DocumentationBrowser::updateLocation()
{
    m_location->setText(QDir::toNativeSeparators(m_browser->source().toLocalFile()));
}

} // namespace agentops::ui
