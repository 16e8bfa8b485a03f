// SPDX-License-Identifier: MIT
#include "shell/mainwindow.h"

#include "compare/comparepage.h"
#include "compare/comparependingbar.h"

#include "alerts/alertmonitor.h"
#include "alerts/alertsdialog.h"
#include "client/localbackend.h"
#include "client/remotesource.h"
#include "client/sourcemanager.h"
#include "client/storagemonitor.h"
#include "client/tracesourcerunner.h"
#include "common/focusring.h"
#include "common/format.h"
#include "common/theme.h"
#include "common/timerange.h"
#include "shell/aboutdialog.h"
#include "shell/databasebackup.h"
#include "shell/documentationbrowser.h"
#include "shell/sessionlistmodel.h"
#include "shell/sessionspage.h"
#include "shell/settingsdialog.h"
#include "shell/shortcutsdialog.h"
#include "shell/traceeraser.h"
#include "shell/tracefilterbar.h"
#include "shell/tracelistpage.h"
#include "shell/tracetablemodel.h"
#include "shell/tracetableview.h"
#include "shell/traceviewpage.h"

#include "dashboard/dashboardpage.h"
#include "dashboard/dashboardview.h"
#include "files/tracefileimporter.h"
#include "files/tracefiles.h"
#include "pricing/priceeditordialog.h"
#include "signin/connectionbanner.h"
#include "signin/sourcecontroller.h"
#include "store/ingestpipeline.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QScreen>
#include <QSettings>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <initializer_list>

namespace agentops::ui {

namespace {
constexpr int kSessionsRefreshMs = 5000;

/// Where the oldest stored trace starts, for the dashboard's "All time".
std::optional<std::int64_t> oldestTraceStart(client::TraceSource &source)
{
    store::TraceQuery q;
    q.sort = store::TraceSort::StartTime;
    q.descending = false;
    q.limit = 1;
    const auto page = source.listTraces(q);
    if (page.traces.empty())
        return std::nullopt;
    return page.traces.front().start_ns;
}
} // namespace

MainWindow::MainWindow(client::LocalBackend *backend, client::TraceSourceRunner *runner, QWidget *parent)
    : QMainWindow(parent)
    , m_backend(backend)
    , m_runner(runner)
    , m_nav(new QListWidget(this))
    , m_stack(new QStackedWidget(this))
    , m_traceList(new TraceListPage(runner, m_stack))
    , m_sessions(new SessionsPage(runner, m_stack))
    , m_traceView(new TraceViewPage(runner, m_stack))
    , m_serverStatus(new QLabel(this))
    , m_rate(new QLabel(this))
    , m_indexing(new QLabel(this))
    , m_traceCount(new QLabel(this))
    , m_poll(new QTimer(this))
    , m_timeRange(new TimeRangeModel(this))
{
    setWindowTitle(tr("AgentOps Monitor"));
    setAcceptDrops(true);

    // The sidebar lists the top-level pages; the trace view is reached from them, not from here.
    m_nav->setObjectName(QStringLiteral("navigation"));
    m_dashboard = new DashboardPage(m_stack);
    // The trace source answers metrics queries, whether it is the embedded store or a team server.
    m_dashboard->setQueryFunction(
        [source = &m_runner->source()](const store::MetricsQuery &q) { return source->metrics(q); });
    m_dashboard->setOldestFunction([source = &m_runner->source()] { return oldestTraceStart(*source); });
    addPage(Page::Dashboard, m_dashboard, style()->standardIcon(QStyle::SP_FileDialogInfoView), tr("Dashboard"));
    addPage(Page::Traces, m_traceList, style()->standardIcon(QStyle::SP_FileDialogListView), tr("Traces"));
    addPage(Page::Sessions, m_sessions, style()->standardIcon(QStyle::SP_FileDialogDetailedView), tr("Sessions"));
    m_nav->setFrameShape(QFrame::NoFrame);
    m_nav->setIconSize(QSize(16, 16));
    // Wide enough for the longest page name in every language.
    m_nav->setFixedWidth(std::max(fontMetrics().horizontalAdvance(QLatin1Char('M')) * 11,
        m_nav->sizeHintForColumn(0) + 2 * m_nav->spacing() + 12));
    m_nav->setSpacing(2);
    m_nav->setFocusPolicy(Qt::TabFocus);
    // The sidebar takes the window colour by role rather than a colour fixed here, so it follows a
    // switch between light and dark system palettes while the app runs.
    m_nav->viewport()->setBackgroundRole(QPalette::Window);
    m_nav->setAutoFillBackground(true);

    m_stack->addWidget(m_traceView);
    m_compare = new ComparePage(runner, m_stack);
    m_stack->addWidget(m_compare);

    auto *central = new QWidget(this);
    auto *layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_nav);
    auto *line = new QFrame(central);
    line->setFrameShape(QFrame::VLine);
    line->setFrameShadow(QFrame::Plain);
    line->setForegroundRole(QPalette::Mid);
    layout->addWidget(line);
    // Run A of Compare With… stays in sight above every page until run B is picked.
    m_pending = new ComparePendingBar(central);
    auto *pages = new QVBoxLayout;
    pages->setSpacing(0);
    pages->addWidget(m_pending);
    pages->addWidget(m_stack, 1);
    layout->addLayout(pages, 1);
    setCentralWidget(central);

    createMenus();
    createStatusBar();
    // Tab shows where it went: a ring around the focused list, table, tree or text.
    new FocusRing(this);

    connect(m_nav, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row < 0)
            return;
        const auto page = static_cast<Page>(m_nav->item(row)->data(Qt::UserRole).toInt());
        if (page != currentPage())
            showPage(page);
    });
    connect(m_dashboard, &DashboardPage::traceRequested, this, &MainWindow::openTrace);
    connect(m_dashboard, &DashboardPage::bucketActivated, this, &MainWindow::showBucket);
    // One time range for the dashboard and the trace list: both show it and change it.
    m_dashboard->setTimeRangeModel(m_timeRange);
    m_traceList->filterBar()->setTimeRangeModel(m_timeRange);
    connect(m_traceList, &TraceListPage::traceActivated, this, &MainWindow::openTrace);
    connect(m_traceList, &TraceListPage::spanActivated, this, &MainWindow::openTraceAt);
    connect(m_sessions, &SessionsPage::traceActivated, this, &MainWindow::openTrace);
    connect(m_traceView, &TraceViewPage::backRequested, this, &MainWindow::goBack);
    connect(m_compare, &ComparePage::backRequested, this, &MainWindow::goBack);
    connect(m_pending, &ComparePendingBar::compareRequested, this, &MainWindow::compareSelected);
    connect(m_pending, &ComparePendingBar::cancelRequested, this, &MainWindow::cancelCompare);
    // Escape cancels where run B is picked; the trace view and the compare page keep it for Back.
    const std::initializer_list<QWidget *> pickingPages = { m_traceList, m_sessions, m_dashboard };
    for (QWidget *page : pickingPages)
        page->addAction(m_pending->cancelAction());
    const std::initializer_list<QAbstractItemView *> traceLists = { m_traceList->view(), m_sessions->traceView() };
    for (QAbstractItemView *list : traceLists) {
        list->setContextMenuPolicy(Qt::CustomContextMenu);
        connect(list, &QWidget::customContextMenuRequested, this,
            [this, list](const QPoint &pos) { showTraceMenu(list, pos); });
    }
    m_sessions->sessionView()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_sessions->sessionView(), &QWidget::customContextMenuRequested, this, &MainWindow::showSessionMenu);
    connect(m_traceList, &TraceListPage::countChanged, this, &MainWindow::updateTraceCount);
    connect(m_runner, &client::TraceSourceRunner::requestFailed, this,
        [this](const QString &message) { statusBar()->showMessage(tr("Could not load: %1").arg(message), 10000); });

    if (m_backend) {
        connect(m_backend, &client::LocalBackend::serverStarted, this, &MainWindow::updateServerStatus);
        connect(m_backend, &client::LocalBackend::serverStopped, this, &MainWindow::updateServerStatus);
        connect(m_backend, &client::LocalBackend::serverFailed, this, &MainWindow::updateServerStatus);
        connect(m_backend, &client::LocalBackend::spansPerSecondChanged, this, &MainWindow::updateRate);
    }
    updateServerStatus();
    updateRate(0);
    updateTraceCount();

    createBackgroundWork();

    m_poll->setInterval(1000);
    connect(m_poll, &QTimer::timeout, this, &MainWindow::poll);
    m_lastChange = m_runner->source().changeCounter();
    m_poll->start();

    // Roomy where the screen allows, never larger than it (1280×720 included).
    const QRect screen = this->screen() ? this->screen()->availableGeometry() : QRect(0, 0, 1400, 900);
    resize(std::min(1400, screen.width()), std::min(900, screen.height()));
    restoreSettings();
    showPage(Page::Traces);
}

/// The work that runs beside the window and reports in the status bar: importing trace files,
/// erasing, backing up the database and the local alert rules; each needs the embedded backend.
void MainWindow::createBackgroundWork()
{
    if (m_backend && m_backend->pipeline()) {
        m_importer = new TraceFileImporter(*m_backend->pipeline(), this);
        connect(m_importer, &TraceFileImporter::finished, this, [this](int spans, const QStringList &warnings) {
            const QString text = warnings.isEmpty() ? tr("Imported %1 spans").arg(format::count(spans))
                                                    : tr("Imported %1 spans; %2 left out (see the import details)")
                                                          .arg(format::count(spans), format::count(warnings.size()));
            statusBar()->showMessage(text, 10000);
            m_backend->countRedactions(m_importer->redactionCounts());
            m_traceList->refreshNewer();
            m_traceList->noteImported(m_importer->importedTraceStarts());
            // What was opened is what the user wants to see next, unless a trace is open meanwhile.
            if (currentPage() != Page::Trace)
                showPage(Page::Traces);
            Q_EMIT importFinished(spans);
        });
        connect(m_importer, &TraceFileImporter::failed, this, [this](const QString &message) {
            statusBar()->showMessage(message.section(QLatin1Char('\n'), 0, 0), 10000);
            m_backend->countRedactions(m_importer->redactionCounts());
            m_traceList->refreshNewer();
            m_traceList->noteImported(m_importer->importedTraceStarts());
            Q_EMIT importFailed(message);
        });
    }

    if (m_backend && m_backend->store()) {
        m_eraser = new TraceEraser(*m_backend->store(), this);
        connect(m_eraser, &TraceEraser::finished, this, [this](const QString &message) {
            statusBar()->showMessage(message, 30000);
            // Every page that shows the erased traces or counts them reads again.
            m_traceList->refresh();
            if (m_sessionsLoaded)
                m_sessions->refresh();
            if (currentPage() == Page::Dashboard)
                m_dashboard->refresh();
        });
        connect(m_eraser, &TraceEraser::failed, this,
            [this](const QString &message) { QMessageBox::warning(this, tr("Erase"), message); });
    }
    if (m_backend) {
        m_backup = new DatabaseBackup(m_backend->databasePath(), this);
        connect(m_backup, &DatabaseBackup::finished, this, [this](const QString &archive, qint64 bytes) {
            statusBar()->showMessage(tr("Backed up the database to %1 (%2)")
                                         .arg(QDir::toNativeSeparators(archive), QLocale().formattedDataSize(bytes)),
                30000);
        });
        connect(m_backup, &DatabaseBackup::failed, this, [this](const QString &message, bool cancelled) {
            if (cancelled) {
                statusBar()->showMessage(message, 10000);
                return;
            }
            auto *box = new QMessageBox(QMessageBox::Critical, tr("Back Up Database"),
                tr("The database could not be backed up. Nothing was written."), QMessageBox::Ok, this);
            box->setObjectName(QStringLiteral("backupFailedMessage"));
            box->setInformativeText(message);
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->open();
        });
    }

    if (m_backend && m_backend->store()) {
        m_alertMonitor = new AlertMonitor(m_backend->store(), this);
        connect(m_alertMonitor, &AlertMonitor::evaluated, this, &MainWindow::updateAlertStatus);
        connect(m_alertMonitor, &AlertMonitor::notificationClicked, this, &MainWindow::showAlerts);
        connect(m_alertMonitor, &AlertMonitor::alertsRaised, this, [this] {
            statusBar()->showMessage(
                m_alertMonitor->lastTitle() + QStringLiteral(" — ") + m_alertMonitor->lastText().section(u'\n', 0, 0),
                30000);
        });
        m_alertMonitor->start();
    }
}

MainWindow::~MainWindow() = default;

void MainWindow::addPage(Page page, QWidget *widget, const QIcon &icon, const QString &title)
{
    auto *item = new QListWidgetItem(icon, title);
    item->setData(Qt::UserRole, static_cast<int>(page));
    m_nav->addItem(item);
    m_stack->addWidget(widget);
}

void MainWindow::showBucket(std::int64_t from_ns, std::int64_t to_ns, const QString &group)
{
    // The group narrows the list where the trace list has a matching filter.
    QString service;
    QString model;
    switch (m_dashboard->groupBy()) {
    case store::MetricsGroupBy::Model: model = group; break;
    case store::MetricsGroupBy::Service: service = group; break;
    default: break;
    }
    m_traceList->showTimeRange(from_ns, to_ns, service, model);
    showPage(Page::Traces);
}

void MainWindow::createMenus()
{
    auto *file = menuBar()->addMenu(tr("&File"));
    auto *open = file->addAction(tr("&Open Trace File…"), this, &MainWindow::openTraceFiles);
    open->setShortcut(QKeySequence::Open);
    auto *exportAction = file->addAction(tr("&Export Selected Traces…"), this, &MainWindow::exportSelectedTraces);
    exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    file->addSeparator();
    auto *backup = file->addAction(tr("&Back Up Database…"), this, &MainWindow::backUpDatabase);
    backup->setObjectName(QStringLiteral("backupAction"));
    backup->setWhatsThis(tr("Write a backup of the local database to a file"));
    backup->setEnabled(m_backend != nullptr);
    file->addSeparator();
    auto *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    auto *view = menuBar()->addMenu(tr("&View"));
    auto *refreshAction = view->addAction(tr("&Refresh"), this, &MainWindow::refresh);
    refreshAction->setShortcut(QKeySequence::Refresh);
    view->addSeparator();
    auto *dashboard = view->addAction(tr("&Dashboard"), this, [this] { showPage(Page::Dashboard); });
    // Ctrl+0 resets the waterfall's zoom; the dashboard takes the next free number.
    dashboard->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_3));
    auto *traces = view->addAction(tr("&Traces"), this, [this] { showPage(Page::Traces); });
    traces->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
    auto *sessions = view->addAction(tr("&Sessions"), this, [this] { showPage(Page::Sessions); });
    sessions->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_2));
    view->addSeparator();
    auto *compare = view->addAction(tr("&Compare Selected Runs"), this, &MainWindow::compareSelected);
    compare->setObjectName(QStringLiteral("compareAction"));
    compare->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    compare->setWhatsThis(tr("Compare the two traces selected in the list, step by step"));
    auto *compareWith = view->addAction(tr("Compare &With…"), this, &MainWindow::compareWith);
    compareWith->setObjectName(QStringLiteral("compareWithAction"));
    compareWith->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    compareWith->setWhatsThis(tr("Keep the open trace as run A; then pick run B, from any source, and compare"));

    auto *alertsAction = view->addAction(tr("&Alerts…"), this, &MainWindow::showAlerts);
    alertsAction->setObjectName(QStringLiteral("alertsAction"));
    alertsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    alertsAction->setWhatsThis(tr("The alerts firing now and the recent ones, from the local database's rules"));
    view->addSeparator();

    auto *settings = menuBar()->addMenu(tr("&Settings"));
    auto *configure = settings->addAction(tr("&Configure AgentOps Monitor…"), this, &MainWindow::showSettings);
    configure->setObjectName(QStringLiteral("settingsAction"));
    configure->setShortcut(QKeySequence::Preferences);
    configure->setMenuRole(QAction::PreferencesRole);
    settings->addAction(tr("Model &prices…"), this, &MainWindow::showPrices);

    auto *help = menuBar()->addMenu(tr("&Help"));
    auto *docs = help->addAction(tr("&Documentation"), this, &MainWindow::showDocumentation);
    docs->setObjectName(QStringLiteral("documentationAction"));
    docs->setShortcut(QKeySequence::HelpContents);
    auto *keys = help->addAction(tr("&Keyboard Shortcuts"), this, &MainWindow::showShortcuts);
    keys->setObjectName(QStringLiteral("shortcutsAction"));
    help->addSeparator();
    auto *about = help->addAction(tr("&About AgentOps Monitor"), this, &MainWindow::showAbout);
    about->setMenuRole(QAction::AboutRole);
}

void MainWindow::createStatusBar()
{
    m_serverStatus->setTextFormat(Qt::RichText);
    m_rate->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_rate->setMinimumWidth(fontMetrics().horizontalAdvance(tr("99,999 spans/s")) + 16);
    m_traceCount->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_traceCount->setMinimumWidth(fontMetrics().horizontalAdvance(tr("99,999+ traces")) + 16);
    statusBar()->addWidget(m_serverStatus, 1);
    m_indexing->setObjectName(QStringLiteral("indexingStatus"));
    m_indexing->hide();
    statusBar()->addPermanentWidget(m_indexing);
    m_alertStatus = new QToolButton(this);
    m_alertStatus->setObjectName(QStringLiteral("alertStatus"));
    m_alertStatus->setAutoRaise(true);
    // No taller than the labels beside it: a status bar that grows when the indicator appears lays
    // itself out again and shows its normal widgets over the message it is showing.
    m_alertStatus->setMaximumHeight(fontMetrics().height());
    m_alertStatus->setToolTip(tr("Show the alerts (View ▸ Alerts)"));
    connect(m_alertStatus, &QToolButton::clicked, this, &MainWindow::showAlerts);
    m_alertStatus->hide();
    statusBar()->addPermanentWidget(m_alertStatus);
    statusBar()->addPermanentWidget(m_rate);
    statusBar()->addPermanentWidget(m_traceCount);
    if (!m_backend)
        return;
    m_storage = new QLabel(this);
    m_storage->setObjectName(QStringLiteral("storageStatus"));
    m_storage->setTextFormat(Qt::RichText);
    m_storage->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    statusBar()->addPermanentWidget(m_storage);
    m_storageMonitor = new client::StorageMonitor(m_backend->databasePath(), this);
    connect(m_storageMonitor, &client::StorageMonitor::updated, this, &MainWindow::updateStorageStatus);
    connect(m_storageMonitor, &client::StorageMonitor::lowChanged, this, &MainWindow::warnDiskLow);
    m_storageMonitor->start();
}

void MainWindow::updateStorageStatus()
{
    const auto status = m_storageMonitor ? m_storageMonitor->status() : std::nullopt;
    if (!status) {
        m_storage->clear();
        return;
    }
    const client::StorageStatus &s = *status;
    const QString size = format::bytes(s.files.total());
    QString text = s.disk ? tr("Database %1 · %2 free").arg(size, format::bytes(s.disk->free_bytes))
                          : tr("Database %1").arg(size);
    if (s.low)
        text = QStringLiteral("<span style=\"color:%1\"><b>%2</b></span>")
                   .arg(theme::warningText(palette()).name(), tr("Disk low: %1").arg(text).toHtmlEscaped());
    else
        text = text.toHtmlEscaped();
    m_storage->setText(text);
    QStringList tip;
    tip << tr("Database: %1").arg(format::bytes(s.files.database))
        << tr("Write-ahead log: %1").arg(format::bytes(s.files.wal))
        << tr("Search index: %1").arg(format::bytes(s.files.search))
        << tr("Search index log: %1").arg(format::bytes(s.files.search_wal));
    if (s.disk)
        tip << tr("Free on its disk: %1 of %2")
                   .arg(format::bytes(s.disk->free_bytes), format::bytes(s.disk->total_bytes))
            << tr("Low below: %1").arg(format::bytes(s.lowThresholdBytes));
    const client::RetentionSettings r = m_backend->retention();
    if (r.maxBytes > 0)
        tip << tr("Kept within: %1 (Settings)").arg(format::bytes(r.maxBytes));
    tip << QDir::toNativeSeparators(m_backend->databasePath());
    if (s.low)
        tip << tr("Free space on this disk, or keep the database smaller in Settings ▸ Storage.");
    m_storage->setToolTip(tip.join(QLatin1Char('\n')));
}

void MainWindow::warnDiskLow(bool low)
{
    const auto status = m_storageMonitor->status();
    if (!low || !status || !status->disk)
        return;
    // Non-modal: traces keep arriving while one frees space; a box would stop nothing.
    statusBar()->showMessage(
        tr("Disk low: %1 free (warning below %2). New traces are refused once it is full.")
            .arg(format::bytes(status->disk->free_bytes), format::bytes(status->lowThresholdBytes)),
        60000);
}

MainWindow::Page MainWindow::currentPage() const
{
    if (m_stack->currentWidget() == m_dashboard)
        return Page::Dashboard;
    if (m_stack->currentWidget() == m_sessions)
        return Page::Sessions;
    if (m_stack->currentWidget() == m_traceView)
        return Page::Trace;
    if (m_stack->currentWidget() == m_compare)
        return Page::Compare;
    return Page::Traces;
}

void MainWindow::showPage(Page page)
{
    auto selectInSidebar = [this](Page p) {
        for (int row = 0; row < m_nav->count(); ++row)
            if (m_nav->item(row)->data(Qt::UserRole).toInt() == static_cast<int>(p))
                m_nav->setCurrentRow(row);
    };
    switch (page) {
    case Page::Dashboard:
        m_stack->setCurrentWidget(m_dashboard);
        selectInSidebar(Page::Dashboard);
        m_dashboard->setFocus();
        break;
    case Page::Traces:
        m_stack->setCurrentWidget(m_traceList);
        selectInSidebar(Page::Traces);
        m_traceList->view()->setFocus();
        break;
    case Page::Sessions:
        m_stack->setCurrentWidget(m_sessions);
        selectInSidebar(Page::Sessions);
        if (!m_sessionsLoaded) {
            m_sessionsLoaded = true;
            m_sessionsRefreshedAt = QDateTime::currentMSecsSinceEpoch();
            m_sessions->refresh();
        }
        m_sessions->sessionView()->setFocus();
        break;
    case Page::Trace:
        if (currentPage() != Page::Trace && currentPage() != Page::Compare)
            m_returnPage = currentPage();
        m_stack->setCurrentWidget(m_traceView);
        m_traceView->setFocus();
        break;
    case Page::Compare:
        if (currentPage() != Page::Compare && currentPage() != Page::Trace)
            m_returnPage = currentPage();
        m_stack->setCurrentWidget(m_compare);
        m_compare->setFocus();
        break;
    }
}

void MainWindow::openTrace(const core::TraceId &id)
{
    m_traceView->openTrace(id);
    showPage(Page::Trace);
}

void MainWindow::compareSelected()
{
    // The concrete source, not the switching one: a run picked now stays with its source when the
    // user switches to another before picking the second.
    const auto source = m_sources ? m_sources->current() : m_runner->sharedSource();
    auto run = [&](const core::TraceId &id) { return CompareRun { source, id, source->displayName() }; };
    auto ids = tracesToExport();
    if (ids.size() == 2 && !m_pinned) {
        m_compare->compare(run(ids[0]), run(ids[1]));
    } else if (m_pinned && ids.size() == 1 && ids[0] == m_pinned->id && source == m_pinned->source) {
        // Run A is still the selected row: comparing it with itself says nothing.
        statusBar()->showMessage(tr("Select another trace than run A to compare with it"), 10000);
        return;
    } else if (m_pinned && ids.size() == 1) {
        m_compare->compare(*m_pinned, run(ids[0]));
        m_pinned.reset();
        m_pending->clear();
    } else {
        statusBar()->showMessage(m_pinned ? tr("Select one trace to compare with run A, then press Ctrl+D")
                                          : tr("Select two traces to compare (Ctrl+click), then press Ctrl+D"),
            10000);
        return;
    }
    showPage(Page::Compare);
}

void MainWindow::compareWith()
{
    const auto ids = tracesToExport();
    if (ids.size() != 1) {
        statusBar()->showMessage(tr("Open or select the trace to compare first"), 10000);
        return;
    }
    const auto source = m_sources ? m_sources->current() : m_runner->sharedSource();
    m_pinned = CompareRun { source, ids.front(), source->displayName() };
    // Stays until the comparison is made or cancelled: any source and page may be visited meanwhile.
    m_pending->showRun(runLabel(ids.front()), m_pinned->sourceName);
    m_pinnedFromTrace = currentPage() == Page::Trace;
    if (m_pinnedFromTrace)
        showPage(m_returnPage);
}

void MainWindow::cancelCompare()
{
    // Started from the open trace: cancelling goes back to the trace the user was reading, if the
    // trace view still shows it (from the same source).
    const bool backToTrace = m_pinned && m_pinnedFromTrace && m_traceView->traceId() == m_pinned->id
        && (!m_sources || m_sources->current() == m_pinned->source) && currentPage() != Page::Trace
        && currentPage() != Page::Compare;
    m_pinned.reset();
    m_pinnedFromTrace = false;
    m_pending->clear();
    if (backToTrace)
        showPage(Page::Trace);
}

QString MainWindow::runLabel(const core::TraceId &id) const
{
    // Runs of one agent share their name: the start tells them apart.
    const core::TraceSummary *summary = nullptr;
    if (m_traceView->traceId() == id && m_traceView->trace())
        summary = &m_traceView->trace()->summary;
    else if (const int row = m_traceList->model()->rowOf(id); row >= 0)
        summary = &m_traceList->model()->trace(row);
    else if (const int inSession = m_sessions->traceModel()->rowOf(id); inSession >= 0)
        summary = &m_sessions->traceModel()->trace(inSession);
    if (!summary)
        return QString::fromStdString(core::toHex(id));
    return tr("“%1” (%2)").arg(QString::fromStdString(summary->name), format::startTime(summary->start_ns));
}

void MainWindow::showTraceMenu(QAbstractItemView *list, const QPoint &pos)
{
    const auto ids = tracesToExport();
    auto *menu = new QMenu(list);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->setObjectName(QStringLiteral("traceMenu"));
    // A disabled entry says what it needs.
    menu->setToolTipsVisible(true);
    const bool comparable = m_pinned ? ids.size() == 1 : ids.size() == 2;
    auto *compare
        = menu->addAction((m_pinned ? tr("Compare With %1").arg(runLabel(m_pinned->id)) : tr("&Compare Selected Runs"))
                + QLatin1Char('\t') + QKeySequence(Qt::CTRL | Qt::Key_D).toString(QKeySequence::NativeText),
            this, &MainWindow::compareSelected);
    compare->setObjectName(QStringLiteral("compareAction"));
    compare->setEnabled(comparable);
    if (!comparable)
        compare->setToolTip(m_pinned ? tr("Select one trace to compare with run A")
                                     : tr("Select two traces to compare them (Ctrl+click)"));
    if (!m_pinned) {
        auto *with = menu->addAction(tr("Compare &With…") + QLatin1Char('\t')
                + QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D).toString(QKeySequence::NativeText),
            this, &MainWindow::compareWith);
        with->setObjectName(QStringLiteral("compareWithAction"));
        with->setEnabled(ids.size() == 1);
        if (ids.size() != 1)
            with->setToolTip(tr("Select one trace to keep as run A"));
    }
    menu->addSeparator();
    auto *exportAction = menu->addAction(tr("&Export Selected Traces…"), this, &MainWindow::exportSelectedTraces);
    exportAction->setEnabled(!ids.empty());
    if (canErase()) {
        menu->addSeparator();
        auto *erase = menu->addAction(ids.size() > 1 ? tr("E&rase %1 Traces…").arg(ids.size()) : tr("E&rase Trace…"),
            this, &MainWindow::eraseSelectedTraces);
        erase->setObjectName(QStringLiteral("eraseTraceAction"));
        erase->setEnabled(!ids.empty() && !m_eraser->isRunning());
    }
    menu->popup(list->viewport()->mapToGlobal(pos));
}

bool MainWindow::canErase() const
{
    return m_eraser && (!m_sources || m_sources->isLocal());
}

void MainWindow::showSessionMenu(const QPoint &pos)
{
    auto *view = m_sessions->sessionView();
    if (!canErase() || !view->indexAt(pos).isValid())
        return;
    view->setCurrentIndex(view->indexAt(pos));
    auto *menu = new QMenu(view);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->setObjectName(QStringLiteral("sessionMenu"));
    auto *erase = menu->addAction(tr("E&rase Session…"), this, &MainWindow::eraseSelectedSession);
    erase->setObjectName(QStringLiteral("eraseSessionAction"));
    erase->setEnabled(!m_eraser->isRunning());
    menu->popup(view->viewport()->mapToGlobal(pos));
}

void MainWindow::eraseSelectedTraces()
{
    const auto ids = tracesToExport();
    if (!canErase() || ids.empty())
        return;
    std::vector<store::TraceSelection> selections;
    selections.reserve(ids.size());
    for (const auto &id : ids)
        selections.push_back({ store::TraceSelection::By::Trace, core::toHex(id) });
    const QString question = ids.size() == 1 ? tr("Erase the trace %1 for good?").arg(runLabel(ids.front()))
                                             : tr("Erase these %1 traces for good?").arg(ids.size());
    m_eraser->confirmAndErase(selections, ids.size() == 1 ? tr("Erase Trace") : tr("Erase Traces"), question);
}

void MainWindow::eraseSelectedSession()
{
    const QModelIndex current = m_sessions->sessionView()->currentIndex();
    if (!canErase() || !current.isValid())
        return;
    const auto &session = m_sessions->sessionModel()->session(current.row());
    const QString id = QString::fromStdString(session.session_id);
    const QString question = session.trace_count == 1
        ? tr("Erase session “%1” and its trace for good?").arg(id)
        : tr("Erase session “%1” and its %2 traces for good?").arg(id).arg(session.trace_count);
    const std::vector<store::TraceSelection> selection { { store::TraceSelection::By::Session, session.session_id } };
    m_eraser->confirmAndErase(selection, tr("Erase Session"), question);
}

void MainWindow::openTraceAt(const core::TraceId &id, const core::SpanId &span)
{
    m_traceView->openTrace(id, span);
    showPage(Page::Trace);
}

void MainWindow::goBack()
{
    showPage(m_returnPage);
}

void MainWindow::refresh()
{
    switch (currentPage()) {
    case Page::Dashboard: m_dashboard->refresh(); break;
    case Page::Traces: m_traceList->refresh(); break;
    case Page::Sessions:
        m_sessionsRefreshedAt = QDateTime::currentMSecsSinceEpoch();
        m_sessions->refresh();
        break;
    case Page::Trace: m_traceView->refresh(); break;
    case Page::Compare: break;
    }
}

void MainWindow::reloadCosts()
{
    // The list's rows are cached and only newer ones are polled for: its costs must be read again
    // whatever page is shown, or it keeps the old figures until the user refreshes it.
    m_traceList->refresh();
    if (m_sessionsLoaded) {
        m_sessionsRefreshedAt = QDateTime::currentMSecsSinceEpoch();
        m_sessions->refresh();
    }
    if (currentPage() == Page::Dashboard)
        m_dashboard->refresh(); // otherwise showing it asks again
    if (currentPage() == Page::Trace)
        m_traceView->refresh();
}

void MainWindow::setPollInterval(int ms)
{
    m_poll->setInterval(ms);
}

void MainWindow::updateIndexingStatus()
{
    // The content index fills behind the writer; after a large import, or on a database from a
    // version without it, say how far it is: searches find what is indexed so far.
    const bool remote = m_sources && !m_sources->isLocal();
    const auto progress = m_backend && !remote ? m_backend->searchProgress() : std::nullopt;
    constexpr std::int64_t kWorthSaying = 20'000; // spans; a few seconds of indexing
    // A search shows what is indexed: when the index gets further, the list may have more to show.
    if (progress && progress->indexed != m_lastIndexed) {
        m_lastIndexed = progress->indexed;
        if (!m_traceList->filterBar()->filter().text.empty())
            m_traceList->refreshNewer();
    }
    if (!progress || progress->lag() < kWorthSaying) {
        m_indexing->setVisible(progress && !progress->error.empty());
        if (progress && !progress->error.empty()) {
            m_indexing->setText(tr("Search index unavailable"));
            m_indexing->setToolTip(QString::fromStdString(progress->error));
        }
        return;
    }
    const int percent
        = static_cast<int>(100.0 * double(progress->indexed) / double(std::max<std::int64_t>(1, progress->latest)));
    m_indexing->setText(tr("Indexing for search: %1 %").arg(percent));
    m_indexing->setToolTip(
        tr("Searches find what is indexed so far; %1 spans to go.").arg(format::count(progress->lag())));
    m_indexing->show();
}

void MainWindow::poll()
{
    updateIndexingStatus();
    const std::uint64_t change = m_runner->source().changeCounter();
    if (change == m_lastChange)
        return;
    m_lastChange = change;
    // The list keeps itself current on every page, so coming back to it shows no stale rows.
    m_traceList->refreshNewer();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (currentPage() == Page::Sessions && now - m_sessionsRefreshedAt >= kSessionsRefreshMs) {
        m_sessionsRefreshedAt = now;
        m_sessions->refresh();
    } else if (currentPage() != Page::Sessions) {
        m_sessionsLoaded = false; // reload when shown next
    }
    if (currentPage() == Page::Trace)
        m_traceView->refreshIfLive();
}

void MainWindow::updateServerStatus()
{
    const QPalette pal = palette();
    const QString dot = QStringLiteral("<span style='color:%1'>●</span>&nbsp;");
    QString endpoint;
    const QString grpc = m_backend ? m_backend->grpcUrl() : QString();
    // A team server is what the pages show: the embedded receiver's state would mislead there.
    const bool remote = m_sources && !m_sources->isLocal();
    m_rate->setVisible(!remote);
    if (remote) {
        showSourceStatus();
    } else if (!m_backend) {
        m_serverStatus->setText(tr("Reading %1").arg(m_runner->source().displayName().toHtmlEscaped()));
    } else if (m_backend->isServing()) {
        endpoint = m_backend->serverUrl();
        QString text = grpc.isEmpty()
            ? tr("Receiving OTLP on %1").arg(endpoint.toHtmlEscaped())
            : tr("Receiving OTLP on %1 (HTTP) and %2 (gRPC)").arg(endpoint.toHtmlEscaped(), grpc.toHtmlEscaped());
        // OTLP/HTTP goes on when gRPC cannot listen: say so beside it, in amber.
        const QString grpcError = m_backend->grpcError();
        if (!grpcError.isEmpty())
            text += QStringLiteral("; ") + grpcError.toHtmlEscaped();
        m_serverStatus->setText(
            dot.arg(grpcError.isEmpty() ? theme::successMark(pal).name() : theme::warningText(pal).name()) + text);
        m_serverStatus->setToolTip(grpc.isEmpty()
                ? tr("Point OpenTelemetry exporters at %1/v1/traces").arg(endpoint)
                : tr("Point OpenTelemetry exporters at %1/v1/traces (OTLP/HTTP) or %2 (OTLP/gRPC)")
                      .arg(endpoint, grpc));
    } else if (!m_backend->serverError().isEmpty()) {
        m_serverStatus->setText(dot.arg(theme::errorMark(pal).name()) + m_backend->serverError().toHtmlEscaped());
        m_serverStatus->setToolTip(tr("Change the port in Settings to receive traces"));
    } else {
        m_serverStatus->setText(
            dot.arg(theme::neutralMark(pal).name()) + tr("Receiving is off; stored traces are available"));
        m_serverStatus->setToolTip({});
    }
    QString hint = tr("Open a trace file (Ctrl+O) or drop one here.");
    QString dashboardHint = tr("Open a trace file (Ctrl+O), or choose a longer time range.");
    if (!endpoint.isEmpty() && grpc.isEmpty()) {
        hint = tr("Point an OpenTelemetry exporter at <b>%1/v1/traces</b>,<br>or open a trace file (Ctrl+O).")
                   .arg(endpoint.toHtmlEscaped());
        dashboardHint = tr("Point an OpenTelemetry exporter at <b>%1/v1/traces</b>,<br>open a trace file (Ctrl+O), or "
                           "choose a longer time range.")
                            .arg(endpoint.toHtmlEscaped());
    } else if (!endpoint.isEmpty()) {
        hint = tr("Point an OpenTelemetry exporter at <b>%1/v1/traces</b> (OTLP/HTTP)<br>or <b>%2</b> (OTLP/gRPC), "
                  "or open a trace file (Ctrl+O).")
                   .arg(endpoint.toHtmlEscaped(), grpc.toHtmlEscaped());
        dashboardHint = tr("Point an OpenTelemetry exporter at <b>%1/v1/traces</b> (OTLP/HTTP)<br>or <b>%2</b> "
                           "(OTLP/gRPC), open a trace file (Ctrl+O), or choose a longer time range.")
                            .arg(endpoint.toHtmlEscaped(), grpc.toHtmlEscaped());
    }
    m_traceList->setEmptyText(QStringLiteral("<p style='font-size:large'>%1</p><p style='color:%3'>%2</p>")
                                  .arg(tr("No traces to show"), hint, theme::mutedText(pal).name()));
    m_dashboard->view()->setEmptyHint(dashboardHint);
}

void MainWindow::showSourceStatus()
{
    // Which project of which server is on screen, and whether the server answers.
    const QPalette pal = palette();
    QColor mark = theme::successMark(pal);
    switch (m_sources->state()) {
    case client::SourceManager::State::Ok: break;
    case client::SourceManager::State::Offline: mark = theme::neutralMark(pal); break;
    default: mark = theme::errorMark(pal); break;
    }
    QString project;
    QString url;
    if (auto remote = std::dynamic_pointer_cast<client::RemoteSource>(m_sources->current())) {
        project = QString::fromStdString(remote->config().project);
        url = QString::fromStdString(remote->config().base_url);
    }
    const QString account = m_sources->currentId().section(QLatin1Char('|'), 1);
    const QString where = project.isEmpty() ? tr("Team server %1").arg(m_sources->displayName())
                                            : tr("Team server %1, project %2").arg(m_sources->displayName(), project);
    m_serverStatus->setText(
        QStringLiteral("<span style='color:%1'>●</span>&nbsp;").arg(mark.name()) + where.toHtmlEscaped());
    m_serverStatus->setToolTip(tr("Traces come from %1, signed in as %2. The receiver on this computer keeps "
                                  "running; choose Local in Source to see what it received.")
                                   .arg(url, account));
}

void MainWindow::updateRate(double spansPerSecond)
{
    m_rate->setText(tr("%1 spans/s").arg(format::count(std::llround(spansPerSecond))));
    m_rate->setToolTip(tr("Spans received per second"));
}

void MainWindow::updateTraceCount()
{
    const auto *model = m_traceList->model();
    const int rows = model->rowCount();
    if (model->hasMore()) {
        m_traceCount->setText(tr("%1+ traces").arg(format::count(rows)));
        m_traceCount->setToolTip(tr("%1 traces loaded; scroll down for more").arg(format::count(rows)));
    } else {
        m_traceCount->setText(rows == 1 ? tr("1 trace") : tr("%1 traces").arg(format::count(rows)));
        m_traceCount->setToolTip({});
    }
}

void MainWindow::openTraceFiles()
{
    const QString patterns = traceFilePatterns().join(QLatin1Char(' '));
    const QStringList paths = QFileDialog::getOpenFileNames(
        this, tr("Open Trace Files"), QString(), tr("Trace files (%1);;All files (*)").arg(patterns));
    if (!paths.isEmpty())
        importFiles(paths);
}

void MainWindow::importFiles(const QStringList &paths)
{
    if (paths.isEmpty())
        return;
    if (!m_importer) {
        const QString message = tr("Trace files can only be imported into the local database.");
        statusBar()->showMessage(message, 10000);
        Q_EMIT importFailed(message);
        return;
    }
    if (m_importer->isRunning()) {
        statusBar()->showMessage(tr("An import is still running"), 5000);
        return;
    }
    // Imported spans are redacted as received ones are: rules that cannot be used stop the import,
    // as they stop receiving, rather than store what the user asked to redact.
    QString redactionError;
    auto redactor = m_backend->importRedactor(&redactionError);
    if (!redactionError.isEmpty()) {
        const QString message = tr("Not imported: %1").arg(redactionError);
        statusBar()->showMessage(message, 10000);
        Q_EMIT importFailed(message);
        return;
    }
    statusBar()->showMessage(
        paths.size() == 1 ? tr("Importing %1…").arg(paths.front()) : tr("Importing %1 files…").arg(paths.size()));
    m_importer->importFiles(paths, std::move(redactor));
}

std::vector<core::TraceId> MainWindow::tracesToExport() const
{
    switch (currentPage()) {
    case Page::Traces: return m_traceList->selectedTraceIds();
    case Page::Sessions: {
        std::vector<core::TraceId> ids;
        const auto rows = m_sessions->traceView()->selectionModel()->selectedRows();
        for (const auto &index : rows)
            ids.push_back(m_sessions->traceModel()->trace(index.row()).trace_id);
        return ids;
    }
    case Page::Trace:
        if (m_traceView->traceId())
            return { *m_traceView->traceId() };
        break;
    case Page::Dashboard:
    case Page::Compare: break;
    }
    return {};
}

void MainWindow::exportSelectedTraces()
{
    const auto ids = tracesToExport();
    if (ids.empty()) {
        QMessageBox::information(this, tr("Export Traces"), tr("Select the traces to export first."));
        return;
    }
    const QString path = QFileDialog::getSaveFileName(this,
        ids.size() == 1 ? tr("Export Trace") : tr("Export %1 Traces").arg(ids.size()), QStringLiteral("traces.jsonl"),
        tr("OTLP JSON lines (*.jsonl);;All files (*)"));
    if (!path.isEmpty())
        exportTraces(ids, path);
}

void MainWindow::backUpDatabase()
{
    if (!m_backup || m_backup->isRunning())
        return;
    const QString name = QStringLiteral("agentops-backup-%1.tar")
                             .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")));
    const QString path = QFileDialog::getSaveFileName(this, tr("Back Up Database"),
        QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)).filePath(name),
        tr("Backups (*.tar);;All files (*)"));
    if (!path.isEmpty())
        backUpDatabaseTo(path);
}

void MainWindow::backUpDatabaseTo(const QString &archive)
{
    if (m_backup)
        m_backup->start(archive);
}

void MainWindow::exportTraces(const std::vector<core::TraceId> &ids, const QString &path)
{
    statusBar()->showMessage(tr("Exporting…"));
    m_runner->run(
        this,
        [ids](client::TraceSource &source) {
            std::vector<std::shared_ptr<const store::TraceDetail>> traces;
            for (const auto &id : ids)
                if (auto t = source.trace(id))
                    traces.push_back(std::move(t));
            return traces;
        },
        [this, path](const std::vector<std::shared_ptr<const store::TraceDetail>> &traces) {
            QString error;
            const bool ok = ui::exportTraces(this, traces, path, &error);
            const QString message = ok
                ? (traces.size() == 1 ? tr("Exported 1 trace to %1").arg(path)
                                      : tr("Exported %1 traces to %2").arg(traces.size()).arg(path))
                : error;
            statusBar()->showMessage(message, 10000);
            Q_EMIT exportFinished(ok, message);
        },
        [this](const QString &message) { Q_EMIT exportFinished(false, message); });
}

void MainWindow::showSettings()
{
    openSettings(false);
}

void MainWindow::showAlertRules()
{
    openSettings(true);
}

void MainWindow::showAlerts()
{
    if (!m_alertsDialog) {
        m_alertsDialog = new AlertsDialog(m_alertMonitor, this);
        m_alertsDialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_alertsDialog, &AlertsDialog::editRulesRequested, this, &MainWindow::showAlertRules);
    }
    m_alertsDialog->reload();
    m_alertsDialog->show();
    m_alertsDialog->raise();
    m_alertsDialog->activateWindow();
}

AlertsDialog *MainWindow::alertsDialog() const
{
    return m_alertsDialog.data();
}

void MainWindow::updateAlertStatus()
{
    const int firing = m_alertMonitor ? m_alertMonitor->firingCount() : 0;
    if (firing == 0) {
        m_alertStatus->hide();
        return;
    }
    m_alertStatus->setText(firing == 1 ? tr("⚠ 1 alert firing") : tr("⚠ %1 alerts firing").arg(firing));
    QPalette pal = m_alertStatus->palette();
    pal.setColor(QPalette::ButtonText, theme::errorMark(palette()));
    m_alertStatus->setPalette(pal);
    m_alertStatus->show();
}

void MainWindow::openSettings(bool openOnAlerts)
{
    if (!m_backend)
        return;
    SettingsDialog dialog(m_backend->serverSettings(), m_backend->databasePath(), this, m_backend->store());
    dialog.setRedactionCounts(m_backend->redactionCounts());
    dialog.setStorage(m_backend->retention(), m_storageMonitor ? m_storageMonitor->status() : std::nullopt);
    if (openOnAlerts)
        dialog.showAlertsTab();
    const int result = dialog.exec();
    // Rules are saved as they are edited, whether or not the rest of the settings are kept.
    if (m_alertMonitor)
        m_alertMonitor->evaluateNow();
    if (result != QDialog::Accepted)
        return;
    const auto s = dialog.settings();
    QSettings settings;
    const client::RetentionSettings retention = dialog.retention();
    settings.setValue(QStringLiteral("storage/retention_days"), retention.days);
    settings.setValue(QStringLiteral("storage/max_bytes"), static_cast<qulonglong>(retention.maxBytes));
    m_backend->setRetention(retention);
    if (m_storageMonitor)
        m_storageMonitor->refresh();
    settings.setValue(QStringLiteral("server/enabled"), s.enabled);
    settings.setValue(QStringLiteral("server/host"), s.host);
    settings.setValue(QStringLiteral("server/port"), s.port);
    settings.setValue(QStringLiteral("server/grpc_enabled"), s.grpcEnabled);
    settings.setValue(QStringLiteral("server/grpc_port"), s.grpcPort);
    settings.setValue(QStringLiteral("redaction/enabled"), s.redact);
    settings.setValue(QStringLiteral("redaction/rules"), s.redactionRules);
    m_backend->setServerSettings(s);
    updateServerStatus();
}

void MainWindow::showPrices()
{
    if (!m_backend)
        return;
    PriceEditorDialog dialog(*m_backend, this);
    // Costs on screen come from the store: show the re-priced figures once a run ends.
    connect(&dialog, &PriceEditorDialog::tracesRepriced, this, &MainWindow::reloadCosts);
    dialog.exec();
}

void MainWindow::showAbout()
{
    AboutDialog dialog(this);
    // The documentation opens beside the window, which the modal About dialog would block: close it.
    connect(&dialog, &AboutDialog::documentationRequested, this, [this, &dialog] {
        dialog.accept();
        QTimer::singleShot(0, this, &MainWindow::showDocumentation);
    });
    dialog.exec();
}

void MainWindow::showDocumentation()
{
    // One window, raised when asked again; it stays open beside the main window.
    if (!m_documentation) {
        m_documentation = new DocumentationBrowser(this);
        m_documentation->setAttribute(Qt::WA_DeleteOnClose);
    }
    m_documentation->show();
    m_documentation->raise();
    m_documentation->activateWindow();
}

void MainWindow::showShortcuts()
{
    ShortcutsDialog dialog(this, this);
    dialog.exec();
}

void MainWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
    // The status line and the empty-list hint carry colours of the palette: a theme switch redoes them.
    if (event->type() == QEvent::PaletteChange) {
        updateServerStatus();
        if (m_storage)
            updateStorageStatus();
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (m_importer && isTraceFile(event->mimeData()))
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QStringList paths = traceFilesFrom(event->mimeData());
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    importFiles(paths);
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    m_traceList->saveState(settings);
    m_traceView->saveState(settings);
    m_sessions->saveState(settings);
}

void MainWindow::restoreSettings()
{
    const QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_traceList->restoreState(settings);
    m_traceView->restoreState(settings);
    m_sessions->restoreState(settings);
}

void MainWindow::setSourceManager(client::SourceManager *manager)
{
    m_sources = manager;
    m_sourceLabel = new QLabel(this);
    m_sourceLabel->setObjectName(QStringLiteral("sourceLabel"));
    statusBar()->addPermanentWidget(m_sourceLabel);
    connect(manager, &client::SourceManager::sourceChanged, this, &MainWindow::sourceChanged);
    // While a server cannot be reached, the manager asks for a reload now and then.
    connect(manager, &client::SourceManager::retryRequested, this, &MainWindow::refresh);
    connect(manager, &client::SourceManager::stateChanged, this, &MainWindow::updateServerStatus);
    m_sourceController = new SourceController(manager, this);
    auto *toolbar = addToolBar(tr("Source"));
    toolbar->setObjectName(QStringLiteral("sourceToolBar"));
    toolbar->setMovable(false);
    toolbar->setFloatable(false);
    toolbar->addWidget(new QLabel(tr("Source:") + QLatin1Char(' '), toolbar));
    toolbar->addWidget(m_sourceController->switcher());
    // The banner spans the sidebar and the pages.
    QWidget *pages = takeCentralWidget();
    auto *column = new QWidget(this);
    auto *layout = new QVBoxLayout(column);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_sourceController->banner());
    layout->addWidget(pages, 1);
    setCentralWidget(column);
    connect(m_sourceController, &SourceController::statusMessage, this, [this](const QString &text, int timeoutMs) {
        if (text.isEmpty())
            statusBar()->clearMessage();
        else
            statusBar()->showMessage(text, timeoutMs);
    });
    updateSourceTitle();
}

void MainWindow::startSources()
{
    if (m_sourceController)
        m_sourceController->start();
}

void MainWindow::sourceChanged(bool sameSource)
{
    updateSourceTitle();
    m_lastChange = m_runner->source().changeCounter();
    // Same server, new sign-in: reload in place (filters, selection and the open trace stay).
    // Other data: the open trace belongs to the old source.
    if (!sameSource && currentPage() == Page::Trace)
        showPage(m_returnPage);
    m_traceList->refresh();
    m_sessionsLoaded = false;
    switch (currentPage()) {
    case Page::Sessions:
        m_sessionsLoaded = true;
        m_sessionsRefreshedAt = QDateTime::currentMSecsSinceEpoch();
        m_sessions->refresh();
        break;
    case Page::Dashboard: m_dashboard->refresh(); break;
    case Page::Trace: m_traceView->refresh(); break;
    case Page::Traces:
    case Page::Compare: break; // each run keeps its own source
    }
}

void MainWindow::updateSourceTitle()
{
    if (!m_sources)
        return;
    updateServerStatus();
    if (m_sources->isLocal()) {
        setWindowTitle(tr("AgentOps Monitor"));
        m_sourceLabel->setText(tr("Local database"));
        m_sourceLabel->setToolTip(m_backend ? m_backend->databasePath() : QString());
    } else {
        setWindowTitle(tr("%1 — AgentOps Monitor").arg(m_sources->displayName()));
        m_sourceLabel->setText(tr("Server: %1").arg(m_sources->displayName()));
        m_sourceLabel->setToolTip(m_sources->currentId().section(QLatin1Char('|'), 0, 0));
    }
}

} // namespace agentops::ui
