// SPDX-License-Identifier: MIT
#pragma once

#include "compare/stepdiffmodel.h"
#include "core/span.h"

#include <QMainWindow>
#include <QPointer>

#include <cstdint>
#include <optional>
#include <vector>

class QAbstractItemView;
class QIcon;
class QLabel;
class QListWidget;
class QStackedWidget;
class QTimer;
class QToolButton;

namespace agentops::client {
class LocalBackend;
class SourceManager;
class StorageMonitor;
struct StorageStatus;
class TraceSourceRunner;
} // namespace agentops::client

namespace agentops::ui {
class DatabaseBackup;
class TraceEraser;

class AlertMonitor;
class AlertsDialog;
class ComparePage;
class ComparePendingBar;
class DashboardPage;
class DocumentationBrowser;
class SessionsPage;
class SourceController;
class TimeRangeModel;
class TraceFileImporter;
class TraceListPage;
class TraceViewPage;

/// The application window: a sidebar to switch between the Dashboard, Traces and Sessions pages,
/// the trace view opened from any of them, menus, and a status bar with the embedded receiver's state and
/// spans received per second (or, on a team server, the server and project shown) and the number of
/// traces listed. Watches the source for changes and
/// updates the visible page live.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    enum class Page { Traces, Sessions, Trace, Dashboard, Compare };

    MainWindow(client::LocalBackend *backend, client::TraceSourceRunner *runner, QWidget *parent = nullptr);
    ~MainWindow() override;

    Page currentPage() const;
    void showPage(Page page);
    void openTrace(const core::TraceId &id);
    /// Opens the trace with this span selected (a search hit).
    void openTraceAt(const core::TraceId &id, const core::SpanId &span);

    /// Imports trace files (OTLP JSON, JSON lines, protobuf) into the local store.
    void importFiles(const QStringList &paths);

    /// How often the source is asked whether anything changed (ms).
    void setPollInterval(int ms);

    /// Lets the user switch the data source (local database, team servers): adds the source
    /// switcher and the connection banner, and reloads the pages when the source changes. The
    /// runner given to the constructor must be manager->runner().
    void setSourceManager(client::SourceManager *manager);
    /// Opens the last used source (signing in to a saved server); no-op without a source manager.
    void startSources();
    /// nullptr without a source manager.
    SourceController *sourceController() const { return m_sourceController; }
    /// Where the data comes from, in the status bar; nullptr without a source manager.
    QLabel *sourceLabel() const { return m_sourceLabel; }

    TraceListPage *traceListPage() const { return m_traceList; }
    DashboardPage *dashboardPage() const { return m_dashboard; }
    SessionsPage *sessionsPage() const { return m_sessions; }
    TraceViewPage *traceViewPage() const { return m_traceView; }
    ComparePage *comparePage() const { return m_compare; }
    /// Compares the two traces selected on the current page; or, after Compare With…, the run
    /// picked then with the one selected (or open) now, whichever source each comes from.
    void compareSelected();
    /// Keeps the open trace (and its source) as run A of the next comparison.
    void compareWith();
    /// Forgets run A of Compare With….
    void cancelCompare();
    bool isComparePending() const { return m_pinned.has_value(); }
    /// Run A of Compare With…, above the pages while it waits for run B.
    ComparePendingBar *comparePendingBar() const { return m_pending; }
    QLabel *serverStatusLabel() const { return m_serverStatus; }
    QLabel *traceCountLabel() const { return m_traceCount; }
    /// The traces an export would write: the selection of the list on screen, or the open trace.
    std::vector<core::TraceId> tracesToExport() const;
    /// Writes the traces to path (OTLP/JSON lines); the result arrives in exportFinished.
    void exportTraces(const std::vector<core::TraceId> &ids, const QString &path);
    /// Backs the local database up to archive (File ▸ Back Up Database… after its save dialog);
    /// the result is shown in the status bar, a failure in a message box.
    void backUpDatabaseTo(const QString &archive);
    /// nullptr without a local database.
    DatabaseBackup *databaseBackup() const { return m_backup; }
    /// Evaluates the local database's alert rules; nullptr without one (or without alerts in this build).
    AlertMonitor *alertMonitor() const { return m_alertMonitor; }
    /// "2 alerts firing" in the status bar (hidden while none fires); opens View ▸ Alerts.
    QToolButton *alertStatusButton() const { return m_alertStatus; }
    /// The alerts dialog while it is open.
    AlertsDialog *alertsDialog() const;
    /// Erase Trace… and Erase Session…; nullptr without a local database.
    TraceEraser *traceEraser() const { return m_eraser; }
    /// Asks whether to erase the traces selected (or open), then erases them from the local store.
    void eraseSelectedTraces();
    /// Asks whether to erase the session selected on the sessions page, then erases it.
    void eraseSelectedSession();
    /// The database's size and the free disk in the status bar, warning colour when the disk runs low;
    /// nullptr without a local database.
    QLabel *storageLabel() const { return m_storage; }
    client::StorageMonitor *storageMonitor() const { return m_storageMonitor; }

Q_SIGNALS:
    void importFinished(int spans);
    void importFailed(const QString &message);
    void exportFinished(bool ok, const QString &message);

public Q_SLOTS:
    void refresh();
    /// Stored costs changed (re-pricing): every page that shows them reads them again — the list and
    /// the sessions now, the dashboard and the trace view when they are shown.
    void reloadCosts();
    void openTraceFiles();
    void exportSelectedTraces();
    void backUpDatabase();
    void showSettings();
    /// Settings on the Alerts tab.
    void showAlertRules();
    /// View ▸ Alerts: the firing and recent alerts.
    void showAlerts();
    void showPrices();
    void showAbout();
    void showDocumentation();
    void showShortcuts();

protected:
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createMenus();
    void createStatusBar();
    void createBackgroundWork();
    void poll();
    void goBack();
    void addPage(Page page, QWidget *widget, const QIcon &icon, const QString &title);
    void showBucket(std::int64_t from_ns, std::int64_t to_ns, const QString &group);
    void updateServerStatus();
    void updateIndexingStatus();
    void showSourceStatus();
    void updateRate(double spansPerSecond);
    void updateTraceCount();
    void updateAlertStatus();
    void openSettings(bool openOnAlerts);
    void updateStorageStatus();
    /// Once each time the disk falls below the threshold: a notice with the figures.
    void warnDiskLow(bool low);
    void saveSettings() const;
    void restoreSettings();
    void sourceChanged(bool sameSource);
    void updateSourceTitle();
    /// The right-click menu of a list of traces: compare, compare with, export, erase.
    void showTraceMenu(QAbstractItemView *list, const QPoint &pos);
    /// The right-click menu of the sessions list: erase.
    void showSessionMenu(const QPoint &pos);
    /// Erasing is offered: the local database is the source on screen.
    bool canErase() const;
    /// “name” (start) of a trace on screen (open, or in a list); its id when none is loaded.
    QString runLabel(const core::TraceId &id) const;

    client::LocalBackend *m_backend;
    client::TraceSourceRunner *m_runner;
    QListWidget *m_nav;
    QStackedWidget *m_stack;
    DashboardPage *m_dashboard = nullptr;
    TraceListPage *m_traceList;
    SessionsPage *m_sessions;
    TraceViewPage *m_traceView;
    ComparePage *m_compare = nullptr;
    std::optional<CompareRun> m_pinned; ///< run A picked with Compare With…
    bool m_pinnedFromTrace = false; ///< run A was the open trace: cancelling returns to it
    ComparePendingBar *m_pending = nullptr;
    QLabel *m_serverStatus;
    QLabel *m_rate;
    QLabel *m_indexing; ///< "Indexing for search: 45 %" while the content index catches up
    std::int64_t m_lastIndexed = -1;
    QLabel *m_traceCount;
    QTimer *m_poll;
    /// The one time range the dashboard and the trace list show.
    TimeRangeModel *m_timeRange;
    TraceFileImporter *m_importer = nullptr;
    DatabaseBackup *m_backup = nullptr;
    AlertMonitor *m_alertMonitor = nullptr;
    QToolButton *m_alertStatus = nullptr;
    QPointer<AlertsDialog> m_alertsDialog;
    TraceEraser *m_eraser = nullptr;
    QLabel *m_storage = nullptr;
    client::StorageMonitor *m_storageMonitor = nullptr;
    Page m_returnPage = Page::Traces;
    std::uint64_t m_lastChange = 0;
    bool m_sessionsLoaded = false;
    client::SourceManager *m_sources = nullptr;
    SourceController *m_sourceController = nullptr;
    QLabel *m_sourceLabel = nullptr;
    qint64 m_sessionsRefreshedAt = 0;
    QPointer<DocumentationBrowser> m_documentation;
};

} // namespace agentops::ui
