// SPDX-License-Identifier: MIT
#pragma once
// The desktop app's window as main() builds it, for GUI suites that need the whole app: a real
// store in a temporary directory, receiving off, the source switcher in its tool bar, 1280×720 and
// shown, with trace files imported through the window's own import.

#include "client/localbackend.h"
#include "client/sourcemanager.h"
#include "shell/mainwindow.h"

#include <QSignalSpy>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace agentops::test {

struct AppWindow
{
    std::unique_ptr<QTemporaryDir> dir;
    std::unique_ptr<client::LocalBackend> backend;
    std::unique_ptr<client::SourceManager> sources;
    std::unique_ptr<ui::MainWindow> window;

    /// Builds and shows the window (waiting until it is active when @p active, else exposed) and
    /// imports @p files. Uses QTest checks: the caller returns when QTest::currentTestFailed().
    void start(const QStringList &files, bool active)
    {
        dir = std::make_unique<QTemporaryDir>();
        QVERIFY(dir->isValid());
        backend = std::make_unique<client::LocalBackend>(dir->filePath(QStringLiteral("traces.db")));
        backend->setServerSettings({ false, QStringLiteral("127.0.0.1"), 0 });
        QString error;
        QVERIFY2(backend->start(&error), qPrintable(error));
        sources = std::make_unique<client::SourceManager>(backend->source());
        window = std::make_unique<ui::MainWindow>(backend.get(), sources->runner());
        window->setSourceManager(sources.get());
        window->setPollInterval(50);
        window->resize(1280, 720);
        window->show();
        if (active)
            QVERIFY(QTest::qWaitForWindowActive(window.get()));
        else
            QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        QSignalSpy imported(window.get(), &ui::MainWindow::importFinished);
        QSignalSpy failed(window.get(), &ui::MainWindow::importFailed);
        window->importFiles(files);
        QTRY_VERIFY_WITH_TIMEOUT(!imported.isEmpty() || !failed.isEmpty(), 20000);
        QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
    }

    void stop()
    {
        window.reset();
        sources.reset();
        if (backend)
            backend->stop();
        backend.reset();
        dir.reset();
    }
};

} // namespace agentops::test
