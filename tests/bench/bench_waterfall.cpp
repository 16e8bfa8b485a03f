// SPDX-License-Identifier: MIT
// Opens synthetic agent traces of 100k and 1M spans in the span waterfall and prints the time to
// open, frame times while scrolling and zooming, and peak memory.
//
//   bench_waterfall [--spans N] [--frames 200] [--zooms 100] [--keep-db FILE]
//
// Scrolling runs over the fully expanded tree, the worst case for the view.
#include "support/agenttrace.h"
#include "waterfall/waterfalltreeview.h"
#include "waterfall/waterfallview.h"

#include "store/sqlitestore.h"

#include <QAbstractItemModel>
#include <QApplication>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QScrollBar>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <malloc.h>
#include <memory>
#include <string>
#include <vector>

using namespace agentops;

namespace {

/// Without the content search index, whose indexing in the background would share the cores with
/// what is measured here (bench_ingest --search measures it).
agentops::store::SqliteStore::Options noSearch()
{
    agentops::store::SqliteStore::Options o;
    o.search = false;
    return o;
}

long statusKb(const char *field)
{
    std::ifstream status("/proc/self/status");
    std::string line;
    const std::size_t length = std::strlen(field);
    while (std::getline(status, line)) {
        if (line.compare(0, length, field) == 0)
            return std::stol(line.substr(length));
    }
    return -1;
}

/// Gives the generator's freed memory back and restarts the peak (VmHWM) from the current RSS.
void resetPeak()
{
    malloc_trim(0);
    std::ofstream("/proc/self/clear_refs") << "5";
}

struct Stats
{
    double median = 0;
    double worst = 0;
};

Stats stats(std::vector<double> ms)
{
    if (ms.empty())
        return {};
    std::sort(ms.begin(), ms.end());
    return { ms[ms.size() / 2], ms.back() };
}

double elapsedMs(const QElapsedTimer &timer)
{
    return double(timer.nsecsElapsed()) / 1e6;
}

/// CPU time of the whole process (every thread: the store's two readers, the tree builder, the
/// search index), in ms: on a shared machine the steadier figure beside wall time.
double cpuMs()
{
    timespec t {};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

/// CPU time of the calling (GUI) thread, in ms: what a frame cost, whatever else ran meanwhile.
double threadCpuMs()
{
    timespec t {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

void run(int spans, int frames, int zooms, const std::string &keepDb)
{
    QElapsedTimer timer;
    timer.start();
    auto generated = bench::generateAgentTrace(spans, 42);
    const double generateMs = elapsedMs(timer);

    // Opening a trace starts with reading it from the store: store it first (not timed).
    QTemporaryDir dir;
    double readMs = 0, readCpuMs = 0, cpu0 = 0;
    std::shared_ptr<const store::TraceDetail> trace;
    {
        store::SqliteStore db(
            keepDb.empty() ? dir.filePath(QStringLiteral("bench.db")).toStdString() : keepDb, noSearch());
        for (std::size_t at = 0; at < generated->spans.size(); at += 20000) {
            const auto end = std::min(generated->spans.size(), at + 20000);
            db.writeBatch(std::vector<core::Span>(
                generated->spans.begin() + std::ptrdiff_t(at), generated->spans.begin() + std::ptrdiff_t(end)));
        }
        const core::TraceId id = generated->spans.front().trace_id;
        generated.reset();
        resetPeak(); // the peak printed is the open's, not the generator's
        timer.restart();
        cpu0 = cpuMs();
        auto detail = db.trace(id, store::TraceLoad::Slim); // as the app reads it (client::LocalSource)
        readMs = elapsedMs(timer);
        readCpuMs = cpuMs() - cpu0;
        trace = std::make_shared<const store::TraceDetail>(std::move(*detail));
    }
    const long traceRssKb = statusKb("VmRSS:");

    ui::WaterfallView view;
    view.resize(1400, 900);
    view.show();
    QApplication::processEvents();
    auto *tree = view.findChild<ui::WaterfallTreeView *>();

    timer.restart();
    cpu0 = cpuMs();
    view.setTrace(trace);
    while (tree->model()->rowCount() == 0) {
        QApplication::processEvents(QEventLoop::AllEvents, 5);
        QThread::usleep(200);
    }
    const double modelMs = elapsedMs(timer);
    (void)view.grab(); // the first paint
    const double openMs = elapsedMs(timer);
    const double openCpuMs = cpuMs() - cpu0;
    // What opened expanded: everything, or for a huge trace the spans of the two upper levels.
    {
        const auto *filter = tree->model();
        int expanded = 0, wrong = 0;
        std::vector<std::pair<QModelIndex, int>> stack { { QModelIndex(), -1 } };
        while (!stack.empty()) {
            const auto [parent, depth] = stack.back();
            stack.pop_back();
            for (int r = 0, n = filter->rowCount(parent); r < n; ++r) {
                const QModelIndex i = filter->index(r, 0, parent);
                if (!filter->hasChildren(i))
                    continue;
                const bool want = trace->spanCount() <= 250000 || depth + 1 <= 1;
                expanded += tree->isExpanded(i);
                wrong += tree->isExpanded(i) != want;
                if (depth + 1 <= 2)
                    stack.emplace_back(i, depth + 1);
            }
        }
        std::printf(
            "  expanded at open: %d spans (of the upper three levels), %d not as they should be\n", expanded, wrong);
        if (wrong)
            std::exit(1);
    }

    // Big traces open with their upper levels expanded; expanding everything is a separate step.
    timer.restart();
    cpu0 = cpuMs();
    tree->expandAll();
    tree->viewport()->repaint();
    const double expandMs = elapsedMs(timer);
    const double expandCpuMs = cpuMs() - cpu0;
    const long viewRssKb = statusKb("VmRSS:");

    // Scrolling: jump the vertical scroll bar through the whole tree.
    QScrollBar *bar = tree->verticalScrollBar();
    std::vector<double> scroll, scrollCpu;
    for (int i = 0; i < frames; ++i) {
        const int value = int(std::int64_t(bar->maximum()) * i / std::max(1, frames - 1));
        timer.restart();
        const double c = threadCpuMs();
        bar->setValue(value);
        tree->viewport()->repaint();
        scroll.push_back(elapsedMs(timer));
        scrollCpu.push_back(threadCpuMs() - c);
    }
    bar->setValue(bar->maximum() / 3);

    // Zooming: in around varying points, then back out; the axis, the rows and the minimap repaint.
    std::vector<double> zoom, zoomCpu;
    const int width = tree->header()->sectionSize(2);
    for (int i = 0; i < zooms; ++i) {
        const double factor = i < zooms / 2 ? 1.3 : 1 / 1.3;
        const double x = width * (0.2 + 0.6 * (i % 7) / 6.0);
        timer.restart();
        const double c = threadCpuMs();
        Q_EMIT tree->zoomRequested(factor, x);
        view.repaint();
        zoom.push_back(elapsedMs(timer));
        zoomCpu.push_back(threadCpuMs() - c);
    }

    const Stats s = stats(scroll), sc = stats(scrollCpu);
    const Stats z = stats(zoom), zc = stats(zoomCpu);
    std::printf("spans %d (generated in %.0f ms)\n", int(trace->spanCount()), generateMs);
    std::printf("  open: read from the store %.0f ms; model ready %.0f ms, first paint %.0f ms after setTrace; "
                "total %.0f ms\n",
        readMs, modelMs, openMs, readMs + openMs);
    std::printf("  open CPU (all threads): read %.0f ms, setTrace to first paint %.0f ms, total %.0f ms (%s)\n",
        readCpuMs, openCpuMs, readCpuMs + openCpuMs, trace->slim() ? "slim" : "whole spans");
    std::printf("  expand all: %.0f ms (CPU %.0f ms)\n", expandMs, expandCpuMs);
    std::printf("  scroll (%d frames): median %.2f ms, worst %.2f ms; GUI thread CPU median %.2f ms, worst %.2f ms\n",
        frames, s.median, s.worst, sc.median, sc.worst);
    std::printf("  zoom (%d steps):    median %.2f ms, worst %.2f ms; GUI thread CPU median %.2f ms, worst %.2f ms\n",
        zooms, z.median, z.worst, zc.median, zc.worst);
    std::printf(
        "  memory: %.0f MB with the trace loaded, %.0f MB with the view open and expanded, peak (VmHWM, from the "
        "read on) %.0f MB\n",
        double(traceRssKb) / 1024.0, double(viewRssKb) / 1024.0, double(statusKb("VmHWM:")) / 1024.0);
    std::fflush(stdout);
    view.setTrace(nullptr);
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    std::vector<int> sizes { 100000, 1000000 };
    int frames = 200;
    int zooms = 100;
    std::string keepDb; // stores the trace there and keeps the file (to open it in the app)
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string arg = argv[i];
        if (arg == "--spans")
            sizes = { std::atoi(argv[i + 1]) };
        else if (arg == "--frames")
            frames = std::atoi(argv[i + 1]);
        else if (arg == "--keep-db")
            keepDb = argv[i + 1];
        else if (arg == "--zooms")
            zooms = std::atoi(argv[i + 1]);
    }
    std::printf("bench_waterfall: window 1400x900, %d scroll frames, %d zoom steps, %d cores\n", frames, zooms,
        QThread::idealThreadCount());
    for (int spans : sizes)
        run(spans, frames, zooms, keepDb);
    return 0;
}
