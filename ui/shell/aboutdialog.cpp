// SPDX-License-Identifier: MIT
#include "shell/aboutdialog.h"

#include "shell/documentationbrowser.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QDir>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIcon>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStringList>
#include <QSysInfo>
#include <QTabWidget>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

#ifndef AGENTOPS_VERSION
#define AGENTOPS_VERSION "unknown"
#endif
#ifndef AGENTOPS_GIT_COMMIT
#define AGENTOPS_GIT_COMMIT ""
#endif
#ifndef AGENTOPS_BUILD_TYPE
#define AGENTOPS_BUILD_TYPE "unknown"
#endif
#ifndef AGENTOPS_COMPILER
#define AGENTOPS_COMPILER "unknown"
#endif
#ifndef AGENTOPS_COMPONENT_VERSIONS
#define AGENTOPS_COMPONENT_VERSIONS ""
#endif

namespace agentops::ui {

namespace {

QString builtVersion(const QString &name)
{
    const QStringList pairs = QStringLiteral(AGENTOPS_COMPONENT_VERSIONS).split(QLatin1Char('|'));
    for (const QString &pair : pairs) {
        const auto eq = pair.indexOf(QLatin1Char('='));
        if (eq > 0 && pair.left(eq) == name)
            return pair.mid(eq + 1).trimmed();
    }
    return {};
}
} // namespace

QList<AboutDialog::Component> AboutDialog::components()
{
    const auto c = [](const char *name, const char *licence, const char *url) {
        const QString n = QString::fromUtf8(name);
        return Component { n, builtVersion(n), QString::fromUtf8(licence), QString::fromUtf8(url) };
    };
    return {
        c("Qt", "LGPL-3.0-only (Qt Charts: GPL-3.0-only)", "https://www.qt.io"),
        c("QtKeychain", "BSD-3-Clause", "https://github.com/frankosterfeld/qtkeychain"),
        c("SQLite", "blessing (public domain)", "https://sqlite.org"),
        c("libcurl", "curl", "https://curl.se"),
        c("protobuf", "BSD-3-Clause", "https://protobuf.dev"),
        c("Boost.Beast", "BSL-1.0", "https://www.boost.org/libs/beast"),
        c("nlohmann/json", "MIT", "https://github.com/nlohmann/json"),
        c("libsodium", "ISC", "https://libsodium.org"),
        c("libpqxx", "BSD-3-Clause", "https://pqxx.org"),
        c("zlib", "Zlib", "https://zlib.net"),
        c("RE2", "BSD-3-Clause", "https://github.com/google/re2"),
    };
}

QString AboutDialog::buildDetails()
{
    const QString commit = QStringLiteral(AGENTOPS_GIT_COMMIT);
    QStringList lines;
    lines << tr("Version: %1").arg(QStringLiteral(AGENTOPS_VERSION));
    lines << tr("Source commit: %1").arg(commit.isEmpty() ? tr("not recorded") : commit);
    lines
        << tr("Qt: built with %1, running with %2").arg(QStringLiteral(QT_VERSION_STR), QString::fromUtf8(qVersion()));
    lines << tr("Compiler: %1").arg(QStringLiteral(AGENTOPS_COMPILER));
    lines << tr("Build type: %1").arg(QStringLiteral(AGENTOPS_BUILD_TYPE));
    lines << tr("Platform: %1 (%2), %3")
                 .arg(QSysInfo::prettyProductName(), QSysInfo::currentCpuArchitecture(),
                     QGuiApplication::platformName());
    return lines.join(QLatin1Char('\n'));
}

QString AboutDialog::licenceText()
{
    return QStringLiteral(
        "MIT License\n\n"
        "Copyright (c) 2026 The AgentOps Monitor authors\n\n"
        "Permission is hereby granted, free of charge, to any person obtaining a copy of this software and "
        "associated documentation files (the \"Software\"), to deal in the Software without restriction, "
        "including without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, "
        "and/or sell copies of the Software, and to permit persons to whom the Software is furnished to do so, "
        "subject to the following conditions:\n\n"
        "The above copyright notice and this permission notice shall be included in all copies or substantial "
        "portions of the Software.\n\n"
        "THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT "
        "LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO "
        "EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER "
        "IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR "
        "THE USE OR OTHER DEALINGS IN THE SOFTWARE.\n");
}

AboutDialog::AboutDialog(QWidget *parent)
    : QDialog(parent)
    , m_tabs(new QTabWidget(this))
{
    setObjectName(QStringLiteral("aboutDialog"));
    setWindowTitle(tr("About AgentOps Monitor"));

    auto *icon = new QLabel(this);
    icon->setObjectName(QStringLiteral("aboutIcon"));
    // The icon's pixmap for the screen's device pixel ratio, so it stays sharp on high-DPI screens.
    icon->setPixmap(
        QIcon(QStringLiteral(":/icons/org.agentops.Monitor.svg")).pixmap(QSize(64, 64), devicePixelRatioF()));
    icon->setAlignment(Qt::AlignTop | Qt::AlignHCenter);

    auto *title = new QLabel(QStringLiteral("<h2 style='margin:0'>%1</h2>")
                                 .arg(tr("AgentOps Monitor %1").arg(QStringLiteral(AGENTOPS_VERSION)).toHtmlEscaped()),
        this);
    title->setObjectName(QStringLiteral("aboutTitle"));
    auto *summary = new QLabel(tr("Traces, costs and failures of AI agents, on your desktop. Receives "
                                  "OpenTelemetry traces over OTLP/HTTP and keeps them in a local database."),
        this);
    summary->setObjectName(QStringLiteral("aboutSummary"));
    summary->setWordWrap(true);
    // The documentation that came with the program: the README the package installs, opened in the
    // app's own viewer (Help ▸ Documentation).
    const QString readme = DocumentationBrowser::readmePath();
    const QString docs = readme.isEmpty()
        ? tr("The documentation is not installed (the package puts it in /usr/share/doc/agentops-monitor).")
              .toHtmlEscaped()
        : QStringLiteral("%1 <a href='%2'>%3</a>")
              .arg(tr("Documentation:").toHtmlEscaped(), QUrl::fromLocalFile(readme).toString(QUrl::FullyEncoded),
                  QDir::toNativeSeparators(readme).toHtmlEscaped());
    auto *links = new QLabel(QStringLiteral("%1<br>%2")
                                 .arg(docs, tr("Released under the MIT licence; see the Licence tab.").toHtmlEscaped()),
        this);
    links->setObjectName(QStringLiteral("aboutLinks"));
    links->setWordWrap(true);
    links->setOpenExternalLinks(false);
    links->setTextInteractionFlags(Qt::TextBrowserInteraction);
    connect(links, &QLabel::linkActivated, this, &AboutDialog::documentationRequested);

    auto *heading = new QVBoxLayout;
    heading->addWidget(title);
    heading->addWidget(summary);
    heading->addWidget(links);
    heading->addStretch(1);
    auto *top = new QHBoxLayout;
    top->addWidget(icon, 0, Qt::AlignTop);
    top->addSpacing(12);
    top->addLayout(heading, 1);

    // Components: name, version built against, licence, home page.
    auto *componentsView = new QTreeWidget(m_tabs);
    componentsView->setObjectName(QStringLiteral("aboutComponents"));
    componentsView->setRootIsDecorated(false);
    componentsView->setHeaderLabels({ tr("Component"), tr("Version"), tr("Licence"), tr("Home page") });
    const auto list = components();
    for (const auto &component : list) {
        auto *item = new QTreeWidgetItem(componentsView,
            { component.name, component.version.isEmpty() ? tr("system") : component.version, component.licence,
                component.url });
        item->setToolTip(3, component.url);
    }
    for (int column = 0; column < 3; ++column)
        componentsView->resizeColumnToContents(column);
    m_tabs->addTab(componentsView, tr("Components"));

    auto *build = new QPlainTextEdit(buildDetails(), m_tabs);
    build->setObjectName(QStringLiteral("aboutBuild"));
    build->setReadOnly(true);
    m_tabs->addTab(build, tr("Build"));

    auto *licence = new QPlainTextEdit(licenceText(), m_tabs);
    licence->setObjectName(QStringLiteral("aboutLicence"));
    licence->setReadOnly(true);
    m_tabs->addTab(licence, tr("Licence"));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto *copy = buttons->addButton(tr("Copy Build Details"), QDialogButtonBox::ActionRole);
    connect(copy, &QPushButton::clicked, this, [] { QGuiApplication::clipboard()->setText(buildDetails()); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(buttons);

    const int em = fontMetrics().horizontalAdvance(QLatin1Char('M'));
    resize(em * 64, em * 46);
}

} // namespace agentops::ui
