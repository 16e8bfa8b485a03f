// SPDX-License-Identifier: MIT
// Types searches into the span waterfall of synthetic 100k and 1M span traces, letter by letter as a
// person would, and prints how long the results took and how long the GUI thread stopped answering.
//
//   bench_search [--spans N] [--words refund,weather,retrieve] [--interval 120] [--timeout 300]
//                [--unique-text 1] [--label TEXT]
//
// --unique-text 1 gives a third of the spans a name of their own (query strings, cache keys).
//
// Drives the view only through its widgets (the search field, the match label, the tree), so the
// same program measures older versions of the waterfall too (tests/bench/search_old_vs_new.sh).
#include "support/agenttrace.h"

#include "waterfall/waterfallview.h"
#if __has_include("waterfall/spansearch.h")
#include "waterfall/spansearch.h"
#include "waterfall/waterfalldata.h"
#define HAVE_SPAN_SEARCH 1
#endif

#include <QAbstractItemModel>
#include <QApplication>
#include <QElapsedTimer>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QThread>
#include <QTimer>
#include <QTreeView>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

using namespace agentops;

namespace {

struct Options
{
    std::vector<int> sizes { 100000, 1000000 };
    std::vector<std::string> words { "refund", "weather", "retrieve" };
    int intervalMs = 120; // between keystrokes: a quick typist
    int timeoutS = 300;
    bool uniqueText = false;
    std::string label = "current";
};

/// The search's rule, written out again so that the count the view shows is checked against an
/// independent one: a span matches when its name, kind, model, tool, agent, service or status
/// message contains the text (ASCII case-insensitive), or when it failed and "error" contains it.
bool contains(std::string_view haystack, std::string_view needle)
{
    const auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
    return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(), [&](char a, char b) {
        return lower(a) == lower(b);
    }) != haystack.end();
}

int expectedHits(const store::TraceDetail &trace, const std::string &word)
{
    int hits = 0;
    for (const core::Span &s : trace.spans) {
        if (contains(s.name, word) || contains(core::toString(s.kind), word) || contains(s.model(), word)
            || contains(s.tool_name, word) || contains(s.agent_name, word) || contains(s.service_name, word)
            || contains(s.status_message, word) || (s.status == core::StatusCode::Error && contains("error", word)))
            ++hits;
    }
    return hits;
}

/// Gives up, loudly, when the GUI thread does not come back: older versions froze for minutes.
class Watchdog
{
public:
    explicit Watchdog(int seconds)
        : m_seconds(seconds)
        , m_thread([this] { watch(); })
    { }
    ~Watchdog()
    {
        {
            std::lock_guard lock(m_mutex);
            m_quit = true;
        }
        m_wake.notify_all();
        m_thread.join();
    }
    void arm(std::string what)
    {
        std::lock_guard lock(m_mutex);
        m_what = std::move(what);
        m_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(m_seconds);
        m_armed = true;
        m_wake.notify_all();
    }
    void disarm()
    {
        std::lock_guard lock(m_mutex);
        m_armed = false;
    }

private:
    void watch()
    {
        std::unique_lock lock(m_mutex);
        while (!m_quit) {
            if (!m_armed) {
                m_wake.wait(lock);
                continue;
            }
            if (m_wake.wait_until(lock, m_deadline) == std::cv_status::timeout && m_armed && !m_quit
                && std::chrono::steady_clock::now() >= m_deadline) {
                std::printf("  %s: NOT FINISHED after %d s (the GUI thread did not come back); stopped\n",
                    m_what.c_str(), m_seconds);
                std::fflush(stdout);
                std::_Exit(2);
            }
        }
    }

    int m_seconds;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::string m_what;
    std::chrono::steady_clock::time_point m_deadline;
    bool m_armed = false;
    bool m_quit = false;
    std::thread m_thread;
};

double threadCpuMs()
{
    timespec t {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

/// The longest time the GUI thread spent away from its event loop: a 1 ms timer that notes how late
/// it comes back. A frame that takes 80 ms shows up as a gap of ~80 ms. The GUI thread's own CPU
/// time over each gap is noted too: on a busy machine a gap can be mostly waiting for a core.
class StallMeter
{
public:
    StallMeter()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(1);
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] {
            const double now = ms();
            const double cpu = threadCpuMs();
            const double gap = now - m_last;
            m_longest = std::max(m_longest, gap);
            m_longestCpu = std::max(m_longestCpu, cpu - m_lastCpu);
            m_last = now;
            m_lastCpu = cpu;
            if (gap > 50)
                ++m_over50;
        });
        m_clock.start();
    }
    void start()
    {
        m_longest = m_longestCpu = 0;
        m_over50 = 0;
        m_last = ms();
        m_lastCpu = threadCpuMs();
        m_timer.start();
    }
    void stop() { m_timer.stop(); }
    double ms() const { return double(m_clock.nsecsElapsed()) / 1e6; }
    double longest() const { return m_longest; }
    double longestCpu() const { return m_longestCpu; }
    int over50() const { return m_over50; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    double m_last = 0;
    double m_lastCpu = 0;
    double m_longest = 0;
    double m_longestCpu = 0;
    int m_over50 = 0;
};

void spin(int ms)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms)
        QApplication::processEvents(QEventLoop::AllEvents, 5);
}

/// The count the label shows, -1 while it shows none ("No matches" is 0), -2 while it is greyed out
/// (the count is of an earlier text; newer versions show that while they search).
int shownCount(const QLabel *label)
{
    const QString text = label->text();
    if (!label->isEnabled())
        return -2;
    if (text.isEmpty())
        return -1;
    if (text.startsWith(QLatin1String("No match")))
        return 0;
    // "460 matches", "12,712 matches", "3 of 460": the last number is the total.
    static const QRegularExpression number(QStringLiteral("([0-9][0-9,.\u00a0\u202f]*)(?:\\s*match|$)"));
    const auto m = number.match(text);
    if (!m.hasMatch())
        return -1;
    QString digits = m.captured(1);
    static const QRegularExpression notDigit(QStringLiteral("[^0-9]"));
    digits.remove(notDigit);
    return digits.toInt();
}

struct Typed
{
    double firstResultsMs = -1; ///< from the last keystroke to the final count shown and painted
    double longestStallMs = 0;
    double longestStallCpuMs = 0; ///< the GUI thread's CPU time in its longest-running gap
    int framesOver50 = 0;
    double worstKeyMs = 0; ///< from a key being sent to the field having it
};

/// Types text into the field, one key every intervalMs, waits for the view to show `expected`, and
/// presses Enter to go to the first match.
Typed type(QLineEdit *field, QLabel *label, QTreeView *tree, const QString &text, int expected, int intervalMs)
{
    StallMeter meter;
    Typed result;
    std::vector<double> sent(std::size_t(text.size()), 0);
    int received = 0;
    const auto connection = QObject::connect(field, &QLineEdit::textChanged, [&](const QString &now) {
        // Disconnected before this function returns: what it captures outlives it.
        if (received < int(sent.size()) && now.size() == received + 1) { // clazy:exclude=lambda-in-connect
            const double late = meter.ms() - sent[std::size_t(received++)]; // clazy:exclude=lambda-in-connect
            result.worstKeyMs = std::max(result.worstKeyMs, late); // clazy:exclude=lambda-in-connect
        }
    });
    meter.start();
    double lastKey = 0;
    for (int i = 0; i < text.size(); ++i) {
        const double due = meter.ms() + intervalMs;
        sent[std::size_t(i)] = lastKey = meter.ms();
        const QString letter = text.mid(i, 1);
        const int key = letter.at(0).isLetter() ? Qt::Key_A + (letter.at(0).toUpper().unicode() - 'A') : 0;
        QApplication::postEvent(field, new QKeyEvent(QEvent::KeyPress, key, Qt::NoModifier, letter));
        QApplication::postEvent(field, new QKeyEvent(QEvent::KeyRelease, key, Qt::NoModifier, letter));
        // The next key comes when its time is due, whatever the view is doing (keys queue up).
        if (i + 1 < text.size()) {
            while (meter.ms() < due)
                QApplication::processEvents(QEventLoop::AllEvents, 1);
        }
    }
    while (shownCount(label) != expected || field->text() != text)
        QApplication::processEvents(QEventLoop::AllEvents, 1);
    tree->viewport()->repaint();
    result.firstResultsMs = meter.ms() - lastKey;
    spin(300); // whatever the view still does after showing the count counts too
    if (expected > 0) {
        // Enter: to the first match, which then stays the current span when the text is cleared.
        QApplication::postEvent(field, new QKeyEvent(QEvent::KeyPress, Qt::Key_Return, Qt::NoModifier));
        QApplication::postEvent(field, new QKeyEvent(QEvent::KeyRelease, Qt::Key_Return, Qt::NoModifier));
        while (!label->text().startsWith(QLatin1String("1 of")))
            QApplication::processEvents(QEventLoop::AllEvents, 1);
        spin(100);
    }
    meter.stop();
    result.longestStallMs = meter.longest();
    result.longestStallCpuMs = meter.longestCpu();
    result.framesOver50 = meter.over50();
    QObject::disconnect(connection);
    return result;
}

/// Clears the field the way a person does (select all, Delete) and waits for the full tree again.
Typed clear(QLineEdit *field, QLabel *label, QTreeView *tree, int topLevelRows)
{
    StallMeter meter;
    Typed result;
    meter.start();
    field->selectAll();
    const double sent = meter.ms();
    QApplication::postEvent(field, new QKeyEvent(QEvent::KeyPress, Qt::Key_Delete, Qt::NoModifier));
    QApplication::postEvent(field, new QKeyEvent(QEvent::KeyRelease, Qt::Key_Delete, Qt::NoModifier));
    while (!field->text().isEmpty() || shownCount(label) != -1 || tree->model()->rowCount() != topLevelRows)
        QApplication::processEvents(QEventLoop::AllEvents, 1);
    tree->viewport()->repaint();
    result.firstResultsMs = meter.ms() - sent;
    spin(300);
    meter.stop();
    result.longestStallMs = meter.longest();
    result.longestStallCpuMs = meter.longestCpu();
    result.framesOver50 = meter.over50();
    return result;
}

/// What the search costs off the GUI thread, where the code has the pieces (newer versions).
void printSearchWork(const std::shared_ptr<const store::TraceDetail> &trace, const Options &options)
{
#ifdef HAVE_SPAN_SEARCH
    const auto data = ui::WaterfallData::build(trace);
    QElapsedTimer timer;
    timer.start();
    const std::size_t records = data->searchIndex().recordCount();
    std::printf("[%s]   search index: %.0f ms, %zu distinct records\n", options.label.c_str(),
        double(timer.nsecsElapsed()) / 1e6, records);
    for (const std::string &word : options.words) {
        timer.restart();
        const auto filter = ui::SpanFilter::compute(data, QString::fromStdString(word), 20000);
        std::printf("[%s]   \"%s\" searched on the worker in %.1f ms\n", options.label.c_str(), word.c_str(),
            double(timer.nsecsElapsed()) / 1e6);
    }
#else
    (void)trace;
    (void)options;
#endif
}

void run(int spans, const Options &options, Watchdog &watchdog)
{
    QElapsedTimer timer;
    timer.start();
    std::shared_ptr<const store::TraceDetail> trace = bench::generateAgentTrace(spans, 42, options.uniqueText);
    std::printf("[%s] spans %d%s (generated in %.0f ms)\n", options.label.c_str(), int(trace->spans.size()),
        options.uniqueText ? ", a third with text of their own" : "", double(timer.elapsed()));
    std::fflush(stdout);
    printSearchWork(trace, options);

    ui::WaterfallView view;
    view.resize(1280, 720);
    view.show();
    QApplication::processEvents();
    auto *field = view.findChild<QLineEdit *>(QStringLiteral("waterfallSearch"));
    auto *label = view.findChild<QLabel *>(QStringLiteral("waterfallMatchLabel"));
    auto *tree = view.findChild<QTreeView *>(QStringLiteral("waterfallTree"));
    if (!field || !label || !tree) {
        std::printf("the waterfall's search field, match label or tree is missing\n");
        std::exit(1);
    }
    watchdog.arm("open");
    timer.restart();
    view.setTrace(trace);
    while (tree->model()->rowCount() == 0)
        QApplication::processEvents(QEventLoop::AllEvents, 5);
    tree->viewport()->repaint();
    watchdog.disarm();
    // The app selects the root span when it opens a trace; the search keeps the selection.
    view.setCurrentSpan(0);
    const int topLevelRows = tree->model()->rowCount();
    std::printf("[%s]   opened in %.0f ms\n", options.label.c_str(), double(timer.elapsed()));
    spin(200);
    field->setFocus();

    for (const std::string &word : options.words) {
        const int expected = expectedHits(*trace, word);
        watchdog.arm("\"" + word + "\" typed");
        const Typed t = type(field, label, tree, QString::fromStdString(word), expected, options.intervalMs);
        watchdog.disarm();
        std::printf("[%s]   \"%s\" (%d hits): results %.0f ms after the last key; longest stall %.0f ms "
                    "(GUI thread CPU %.0f ms), %d stalls > 50 ms; slowest key %.0f ms\n",
            options.label.c_str(), word.c_str(), expected, t.firstResultsMs, t.longestStallMs, t.longestStallCpuMs,
            t.framesOver50, t.worstKeyMs);
        std::fflush(stdout);
        watchdog.arm("\"" + word + "\" cleared");
        const Typed c = clear(field, label, tree, topLevelRows);
        watchdog.disarm();
        std::printf("[%s]   cleared: full tree back %.0f ms after the key; longest stall %.0f ms (GUI thread CPU "
                    "%.0f ms), %d stalls > 50 ms\n",
            options.label.c_str(), c.firstResultsMs, c.longestStallMs, c.longestStallCpuMs, c.framesOver50);
        std::fflush(stdout);
    }
    view.setTrace(nullptr);
}

std::vector<std::string> split(const std::string &list)
{
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at <= list.size()) {
        const std::size_t comma = std::min(list.find(',', at), list.size());
        if (comma > at)
            out.push_back(list.substr(at, comma - at));
        at = comma + 1;
    }
    return out;
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    Options options;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string arg = argv[i];
        if (arg == "--spans")
            options.sizes = { std::atoi(argv[i + 1]) };
        else if (arg == "--words")
            options.words = split(argv[i + 1]);
        else if (arg == "--interval")
            options.intervalMs = std::atoi(argv[i + 1]);
        else if (arg == "--timeout")
            options.timeoutS = std::atoi(argv[i + 1]);
        else if (arg == "--unique-text")
            options.uniqueText = std::atoi(argv[i + 1]) != 0;
        else if (arg == "--label")
            options.label = argv[i + 1];
    }
    std::printf("bench_search [%s]: window 1280x720, a key every %d ms, %d cores\n", options.label.c_str(),
        options.intervalMs, QThread::idealThreadCount());
    Watchdog watchdog(options.timeoutS);
    for (int spans : options.sizes)
        run(spans, options, watchdog);
    return 0;
}
