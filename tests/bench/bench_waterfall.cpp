// SPDX-License-Identifier: MIT
// Opens synthetic agent traces of 100k and 1M spans in the span waterfall and prints the time to
// open, frame times while scrolling and zooming, and peak memory.
//
//   bench_waterfall [--spans N] [--frames 200] [--zooms 100]
//
// Scrolling runs over the fully expanded tree, the worst case for the view.
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
#include <cstring>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

using namespace agentops;

namespace {

constexpr std::int64_t Us = 1000;
constexpr std::int64_t Ms = 1000 * Us;

/// A long-running multi-agent job: a root agent runs sub-agents one after another; each sub-agent
/// runs turns (chain) of an LLM call, a tool call with an HTTP and a database child, and a retrieval
/// with an embedding child; now and then a tool fails and a few tool calls run in parallel.
std::shared_ptr<store::TraceDetail> generate(int spans, std::uint32_t seed)
{
    auto trace = std::make_shared<store::TraceDetail>();
    trace->spans.reserve(std::size_t(spans));
    trace->depth.reserve(std::size_t(spans));
    trace->orphan.reserve(std::size_t(spans));
    std::mt19937 rng(seed);
    const auto jitter = [&rng](std::int64_t base) {
        return base / 2 + std::int64_t(std::uniform_int_distribution<std::int64_t>(0, base)(rng));
    };
    std::uint64_t nextId = 1;
    const auto add = [&](int depth, const char *name, core::SpanKind kind, std::int64_t start, std::int64_t end) {
        core::Span s;
        std::uint64_t id = nextId++;
        std::memcpy(s.span_id.data(), &id, sizeof id);
        s.name = name;
        s.kind = kind;
        s.start_ns = start;
        s.end_ns = end;
        s.status = core::StatusCode::Ok;
        trace->spans.push_back(std::move(s));
        trace->depth.push_back(depth);
        trace->orphan.push_back(false);
        return trace->spans.size() - 1;
    };

    const std::int64_t t0 = 1700000000000000000;
    const std::size_t root = add(0, "invoke_agent orchestrator", core::SpanKind::Agent, t0, t0);
    std::int64_t t = t0 + Ms;
    int agent = 0;
    while (int(trace->spans.size()) < spans) {
        const std::size_t a
            = add(1, agent % 2 ? "invoke_agent researcher" : "invoke_agent writer", core::SpanKind::Agent, t, t);
        ++agent;
        std::int64_t at = t + 200 * Us;
        for (int turn = 0; turn < 140 && int(trace->spans.size()) < spans; ++turn) {
            const std::size_t c = add(2, "chain step", core::SpanKind::Chain, at, at);
            std::int64_t ct = at + 50 * Us;
            const std::size_t llm = add(3, "chat gpt-4o", core::SpanKind::Llm, ct, ct + jitter(800 * Ms));
            trace->spans[llm].response_model = "gpt-4o";
            trace->spans[llm].tokens.input = 1500;
            trace->spans[llm].tokens.output = 200;
            ct = trace->spans[llm].end_ns + 100 * Us;
            const int parallel = turn % 10 == 0 ? 4 : 1;
            std::int64_t toolsEnd = ct;
            for (int p = 0; p < parallel; ++p) {
                const std::int64_t ts = ct + p * 2 * Ms;
                const std::size_t tool = add(3, "execute_tool search", core::SpanKind::Tool, ts, ts);
                const std::int64_t h = ts + 20 * Us;
                const std::size_t http = add(4, "GET /search", core::SpanKind::Other, h, h + jitter(300 * Ms));
                const std::int64_t d = trace->spans[http].end_ns + 10 * Us;
                const std::size_t db = add(4, "SELECT cache", core::SpanKind::Other, d, d + jitter(5 * Ms));
                trace->spans[tool].end_ns = trace->spans[db].end_ns + 30 * Us;
                if ((turn * 7 + p) % 97 == 0) {
                    trace->spans[tool].status = core::StatusCode::Error;
                    trace->spans[http].status = core::StatusCode::Error;
                }
                toolsEnd = std::max(toolsEnd, trace->spans[tool].end_ns);
            }
            ct = toolsEnd + 100 * Us;
            const std::size_t r = add(3, "retrieve documents", core::SpanKind::Retriever, ct, ct);
            const std::size_t e = add(4, "embeddings", core::SpanKind::Embedding, ct + 10 * Us, ct + jitter(40 * Ms));
            trace->spans[r].end_ns = trace->spans[e].end_ns + jitter(60 * Ms);
            trace->spans[c].end_ns = trace->spans[r].end_ns + 200 * Us;
            at = trace->spans[c].end_ns + 100 * Us;
        }
        trace->spans[a].end_ns = at + 100 * Us;
        t = trace->spans[a].end_ns + Ms;
    }
    trace->spans[root].end_ns = t;
    trace->summary.name = trace->spans[root].name;
    trace->summary.span_count = std::int64_t(trace->spans.size());
    return trace;
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

void run(int spans, int frames, int zooms)
{
    QElapsedTimer timer;
    timer.start();
    auto generated = generate(spans, 42);
    const double generateMs = elapsedMs(timer);

    // Opening a trace starts with reading it from the store: store it first (not timed).
    QTemporaryDir dir;
    double readMs = 0;
    std::shared_ptr<const store::TraceDetail> trace;
    {
        store::SqliteStore db(dir.filePath(QStringLiteral("bench.db")).toStdString());
        for (std::size_t at = 0; at < generated->spans.size(); at += 20000) {
            const auto end = std::min(generated->spans.size(), at + 20000);
            db.writeBatch(std::vector<core::Span>(
                generated->spans.begin() + std::ptrdiff_t(at), generated->spans.begin() + std::ptrdiff_t(end)));
        }
        const core::TraceId id = generated->spans.front().trace_id;
        generated.reset();
        timer.restart();
        auto detail = db.trace(id, store::TraceLoad::Automatic); // as the app reads it
        readMs = elapsedMs(timer);
        trace = std::make_shared<const store::TraceDetail>(std::move(*detail));
    }
    const long traceRssKb = statusKb("VmRSS:");

    ui::WaterfallView view;
    view.resize(1400, 900);
    view.show();
    QApplication::processEvents();
    auto *tree = view.findChild<ui::WaterfallTreeView *>();

    timer.restart();
    view.setTrace(trace);
    while (tree->model()->rowCount() == 0) {
        QApplication::processEvents(QEventLoop::AllEvents, 5);
        QThread::usleep(200);
    }
    const double modelMs = elapsedMs(timer);
    const QPixmap first = view.grab();
    const double openMs = elapsedMs(timer);

    // Big traces open with their upper levels expanded; expanding everything is a separate step.
    timer.restart();
    tree->expandAll();
    tree->viewport()->repaint();
    const double expandMs = elapsedMs(timer);
    const long viewRssKb = statusKb("VmRSS:");

    // Scrolling: jump the vertical scroll bar through the whole tree.
    QScrollBar *bar = tree->verticalScrollBar();
    std::vector<double> scroll;
    for (int i = 0; i < frames; ++i) {
        const int value = int(std::int64_t(bar->maximum()) * i / std::max(1, frames - 1));
        timer.restart();
        bar->setValue(value);
        tree->viewport()->repaint();
        scroll.push_back(elapsedMs(timer));
    }
    bar->setValue(bar->maximum() / 3);

    // Zooming: in around varying points, then back out; the axis, the rows and the minimap repaint.
    std::vector<double> zoom;
    const int width = tree->header()->sectionSize(2);
    for (int i = 0; i < zooms; ++i) {
        const double factor = i < zooms / 2 ? 1.3 : 1 / 1.3;
        const double x = width * (0.2 + 0.6 * (i % 7) / 6.0);
        timer.restart();
        Q_EMIT tree->zoomRequested(factor, x);
        view.repaint();
        zoom.push_back(elapsedMs(timer));
    }

    const Stats s = stats(scroll);
    const Stats z = stats(zoom);
    std::printf("spans %d (generated in %.0f ms)\n", int(trace->spans.size()), generateMs);
    std::printf("  open: read from the store %.0f ms; model ready %.0f ms, first paint %.0f ms after setTrace; "
                "total %.0f ms\n",
        readMs, modelMs, openMs, readMs + openMs);
    std::printf("  expand all: %.0f ms\n", expandMs);
    std::printf("  scroll (%d frames): median %.2f ms, worst %.2f ms\n", frames, s.median, s.worst);
    std::printf("  zoom (%d steps):    median %.2f ms, worst %.2f ms\n", zooms, z.median, z.worst);
    std::printf(
        "  memory: %.0f MB with the trace loaded, %.0f MB with the view open and expanded, peak (VmHWM) %.0f MB\n",
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
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string arg = argv[i];
        if (arg == "--spans")
            sizes = { std::atoi(argv[i + 1]) };
        else if (arg == "--frames")
            frames = std::atoi(argv[i + 1]);
        else if (arg == "--zooms")
            zooms = std::atoi(argv[i + 1]);
    }
    std::printf("bench_waterfall: window 1400x900, %d scroll frames, %d zoom steps, %d cores\n", frames, zooms,
        QThread::idealThreadCount());
    for (int spans : sizes)
        run(spans, frames, zooms);
    return 0;
}
