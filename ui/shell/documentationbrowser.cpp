// SPDX-License-Identifier: MIT
#include "shell/documentationbrowser.h"

#include <QCoreApplication>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHash>
#include <QImage>
#include <QLabel>
#include <QScreen>
#include <QStyle>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextCursor>
#include <QTextDocument>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#ifndef AGENTOPS_DOC_DIR
#define AGENTOPS_DOC_DIR ""
#endif
#ifndef AGENTOPS_SOURCE_DOC_DIR
#define AGENTOPS_SOURCE_DOC_DIR ""
#endif

namespace agentops::ui {

namespace {

/// The documents' text view. Images (the README's screenshots are 1280 px wide) are scaled down to
/// the width of the view, keeping their aspect, and again whenever the view changes width; code
/// blocks wrap. Nothing needs a horizontal scroll bar.
class DocumentText : public QTextBrowser
{
public:
    explicit DocumentText(QWidget *parent)
        : QTextBrowser(parent)
    {
        setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
        connect(this, &QTextBrowser::sourceChanged, this, [this] { wrapCodeBlocks(); });
    }

    QVariant loadResource(int type, const QUrl &name) override
    {
        // name as the document looks it up, which is what addResource() must replace.
        const QUrl file = name.isRelative() ? source().resolved(name) : name;
        if (type != QTextDocument::ImageResource || !file.isLocalFile())
            return QTextBrowser::loadResource(type, name);
        auto it = m_images.constFind(name);
        if (it == m_images.constEnd()) {
            QImage image(file.toLocalFile());
            if (image.isNull())
                return QTextBrowser::loadResource(type, name);
            return fitted(*m_images.insert(name, image));
        }
        return fitted(*it);
    }

protected:
    void resizeEvent(QResizeEvent *event) override
    {
        QTextBrowser::resizeEvent(event);
        if (availableWidth() == m_fittedWidth)
            return;
        // The document keeps what loadResource() gave; replace each image by its new size.
        for (auto it = m_images.constBegin(); it != m_images.constEnd(); ++it)
            document()->addResource(QTextDocument::ImageResource, it.key(), fitted(it.value()));
        document()->markContentsDirty(0, document()->characterCount());
    }

private:
    int availableWidth() const
    {
        // The text's width: the viewport less the document's margins and a pixel for the caret.
        return viewport()->width() - 2 * static_cast<int>(std::ceil(document()->documentMargin())) - 2;
    }

    QImage fitted(const QImage &image)
    {
        m_fittedWidth = availableWidth();
        if (m_fittedWidth <= 0 || image.width() <= m_fittedWidth)
            return image;
        return image.scaledToWidth(m_fittedWidth, Qt::SmoothTransformation);
    }

    /// Markdown code blocks are laid out as preformatted lines, which never wrap: one long command
    /// would widen the page. They wrap like the text around them instead.
    void wrapCodeBlocks()
    {
        QTextCursor cursor(document());
        for (QTextBlock block = document()->begin(); block.isValid(); block = block.next()) {
            if (!block.blockFormat().nonBreakableLines())
                continue;
            QTextBlockFormat format;
            format.setNonBreakableLines(false);
            cursor.setPosition(block.position());
            cursor.mergeBlockFormat(format);
        }
        document()->setModified(false);
    }

    QHash<QUrl, QImage> m_images;
    int m_fittedWidth = -1;
};

} // namespace

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
    , m_browser(new DocumentText(this))
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
