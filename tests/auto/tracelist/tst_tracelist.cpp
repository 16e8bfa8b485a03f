// SPDX-License-Identifier: MIT
#include "client/localsource.h"
#include "client/tracesourcerunner.h"
#include "shell/tracetablemodel.h"
#include "shell/tracetableview.h"
#include "store/sqlitestore.h"
#include "support/common.h"

#include <QAbstractItemModelTester>
#include <QHeaderView>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <set>

using namespace agentops;
using agentops::ui::TraceListModel;
using agentops::ui::TraceTableModel;

namespace {

constexpr int kTraces = 1000;
constexpr std::int64_t kBase = 1'735'689'600'000'000'000; // 2025-01-01T00:00:00Z
using agentops::test::kSecond;

core::TraceId traceId(int n)
{
    core::TraceId id {};
    id[0] = 0xab;
    id[12] = static_cast<std::uint8_t>(n >> 24);
    id[13] = static_cast<std::uint8_t>(n >> 16);
    id[14] = static_cast<std::uint8_t>(n >> 8);
    id[15] = static_cast<std::uint8_t>(n);
    return id;
}

core::SpanId spanId(int n, int k)
{
    core::SpanId id {};
    id[0] = static_cast<std::uint8_t>(k + 1);
    id[4] = static_cast<std::uint8_t>(n >> 24);
    id[5] = static_cast<std::uint8_t>(n >> 16);
    id[6] = static_cast<std::uint8_t>(n >> 8);
    id[7] = static_cast<std::uint8_t>(n);
    return id;
}

std::int64_t durationOf(int n)
{
    return std::int64_t { 1 + (n * 7919) % 997 } * 1'000'000;
} // 1..997 ms
bool hasError(int n)
{
    return n % 10 == 3;
}
std::string serviceOf(int n)
{
    return "svc-" + std::string(1, static_cast<char>('a' + n % 3));
}
std::string modelOf(int n)
{
    static const char *models[] = { "gpt-4o", "claude-sonnet-4", "gemini-2.5-pro", "gpt-4o-mini" };
    return models[n % 4];
}

/// Trace n: a root agent span and one LLM child, starting n seconds after kBase.
std::vector<core::Span> makeTrace(int n, std::int64_t start)
{
    core::Span root;
    root.trace_id = traceId(n);
    root.span_id = spanId(n, 0);
    root.name = "run " + std::to_string(n);
    root.kind = core::SpanKind::Agent;
    root.start_ns = start;
    root.end_ns = start + durationOf(n);
    root.service_name = serviceOf(n);
    core::Span llm = root;
    llm.span_id = spanId(n, 1);
    llm.parent_span_id = root.span_id;
    llm.name = "chat " + modelOf(n);
    llm.kind = core::SpanKind::Llm;
    llm.start_ns = start + 1'000'000;
    llm.end_ns = root.end_ns;
    llm.request_model = modelOf(n);
    llm.tokens.input = 100 + n;
    llm.tokens.output = 10;
    llm.tokens.total = 110 + n;
    llm.cost_usd = 0.001 * (n % 50);
    if (hasError(n)) {
        llm.status = core::StatusCode::Error;
        llm.status_message = "rate limited";
    }
    return { root, llm };
}

} // namespace

class TestTraceList : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void pagesLoadLazily();
    void sortRequeries();
    void sortIgnoresUnsortableColumns();
    void filters_data();
    void filters();
    void liveInsertionKeepsSelection();
    void liveInsertionKeepsScrollPosition();
    void liveUpdatesChangedRows();
    void lateTraceGoesToItsPlace();
    void displayFormats();
    void underModelTester();
    void answersForGoneReceiversAreDropped();
    void staleAnswersAreDropped();

private:
    void attachTester();
    void write(std::vector<core::Span> spans) { m_store->writeBatch(std::move(spans)); }
    void waitLoaded();
    void loadAll();

    QTemporaryDir m_dir;
    std::unique_ptr<store::SqliteStore> m_store;
    std::unique_ptr<client::TraceSourceRunner> m_runner;
    std::unique_ptr<TraceListModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TestTraceList::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_store = std::make_unique<store::SqliteStore>(m_dir.filePath(QStringLiteral("traces.db")).toStdString());
    std::vector<core::Span> all;
    for (int n = 0; n < kTraces; ++n)
        for (auto &s : makeTrace(n, kBase + n * kSecond))
            all.push_back(std::move(s));
    write(std::move(all));
}

void TestTraceList::init()
{
    m_runner = std::make_unique<client::TraceSourceRunner>(std::make_shared<client::LocalSource>(*m_store, nullptr));
    m_model = std::make_unique<TraceListModel>(m_runner.get());
    m_model->setPageSize(200);
}

void TestTraceList::attachTester()
{
    // The tester asks for more whenever it can, like a view with room for every row: the whole
    // store gets loaded, page by page.
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void TestTraceList::cleanup()
{
    m_tester.reset();
    m_model.reset();
    m_runner.reset();
}

void TestTraceList::waitLoaded()
{
    QTRY_VERIFY_WITH_TIMEOUT(!m_model->isLoading() && m_runner->pending() == 0, 10000);
}

void TestTraceList::loadAll()
{
    waitLoaded();
    while (m_model->canFetchMore({})) {
        m_model->fetchMore({});
        waitLoaded();
    }
}

void TestTraceList::pagesLoadLazily()
{
    QSignalSpy reloaded(m_model.get(), &TraceListModel::reloaded);
    m_model->setFilter({});
    QCOMPARE(m_model->rowCount(), 0); // nothing blocks the caller
    QTRY_COMPARE(reloaded.count(), 1);
    QCOMPARE(m_model->rowCount(), 200);
    QVERIFY(m_model->canFetchMore({}));

    std::set<core::TraceId> seen;
    int pages = 1;
    while (m_model->canFetchMore({})) {
        const int before = m_model->rowCount();
        QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
        m_model->fetchMore({});
        QVERIFY(!m_model->canFetchMore({})); // one page at a time
        waitLoaded();
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(inserted.at(0).at(1).toInt(), before);
        ++pages;
    }
    QCOMPARE(pages, 5);
    QCOMPARE(m_model->rowCount(), kTraces);
    for (int r = 0; r < m_model->rowCount(); ++r) {
        QVERIFY(seen.insert(m_model->trace(r).trace_id).second);
        if (r > 0)
            QVERIFY(m_model->trace(r - 1).start_ns >= m_model->trace(r).start_ns);
    }
    QCOMPARE(m_model->trace(0).name, std::string("run 999"));
    QCOMPARE(reloaded.count(), 1);
}

void TestTraceList::sortRequeries()
{
    m_model->setFilter({});
    waitLoaded();
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    m_model->sort(TraceTableModel::DurationColumn, Qt::DescendingOrder);
    QTRY_COMPARE(reset.count(), 1);
    QCOMPARE(m_model->rowCount(), 200);
    QCOMPARE(m_model->trace(0).durationNs(), 997 * 1'000'000);
    for (int r = 1; r < m_model->rowCount(); ++r)
        QVERIFY(m_model->trace(r - 1).durationNs() >= m_model->trace(r).durationNs());

    m_model->sort(TraceTableModel::DurationColumn, Qt::AscendingOrder);
    QTRY_COMPARE(reset.count(), 2);
    QCOMPARE(m_model->trace(0).durationNs(), 1'000'000);
    loadAll();
    QCOMPARE(m_model->rowCount(), kTraces);
    for (int r = 1; r < m_model->rowCount(); ++r)
        QVERIFY(m_model->trace(r - 1).durationNs() <= m_model->trace(r).durationNs());

    m_model->sort(TraceTableModel::ErrorsColumn, Qt::DescendingOrder);
    QTRY_COMPARE(reset.count(), 3);
    QCOMPARE(m_model->trace(0).error_count, 1);
    QCOMPARE(m_model->rowCount(), 200);

    m_model->sort(TraceTableModel::TokensColumn, Qt::DescendingOrder);
    QTRY_COMPARE(reset.count(), 4);
    QCOMPARE(m_model->trace(0).name, std::string("run 999"));
}

void TestTraceList::sortIgnoresUnsortableColumns()
{
    m_model->setFilter({});
    waitLoaded();
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    m_model->sort(TraceTableModel::NameColumn, Qt::AscendingOrder);
    m_model->sort(TraceTableModel::ModelsColumn, Qt::AscendingOrder);
    QTest::qWait(50);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(m_model->sortColumn(), int(TraceTableModel::StartColumn));
    QCOMPARE(m_model->sortOrder(), Qt::DescendingOrder);
}

void TestTraceList::filters_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("expected");
    // Counts follow from makeTrace(): every 10th trace has an error, three services, four models.
    QTest::newRow("name") << 0 << 111; // "run 5", "run 5x", "run 5xx", "run x5", "run x5x", "run xx5"...
    QTest::newRow("errors") << 1 << 100;
    QTest::newRow("service") << 2 << 334; // n % 3 == 0
    QTest::newRow("model") << 3 << 250;
    QTest::newRow("min duration") << 4 << -1; // counted in the test
    QTest::newRow("time range") << 5 << 100; // traces 100..199
    QTest::newRow("combined") << 6 << 34; // errors and svc-a: n % 10 == 3 and n % 3 == 0
}

void TestTraceList::filters()
{
    QFETCH(int, kind);
    QFETCH(int, expected);
    store::TraceQuery q;
    switch (kind) {
    case 0: q.name_contains = "5"; break;
    case 1: q.errors_only = true; break;
    case 2: q.service = "svc-a"; break;
    case 3: q.model = "claude-sonnet-4"; break;
    case 4:
        q.min_duration_ns = 500'000'000;
        expected = 0;
        for (int n = 0; n < kTraces; ++n)
            expected += durationOf(n) >= 500'000'000 ? 1 : 0;
        break;
    case 5:
        q.from_ns = kBase + 100 * kSecond;
        q.to_ns = kBase + 200 * kSecond;
        break;
    case 6:
        q.errors_only = true;
        q.service = "svc-a";
        break;
    }
    m_model->setFilter(q);
    loadAll();
    if (kind == 0) {
        // Count independently: names "run N" containing the digit 5.
        int names = 0;
        for (int n = 0; n < kTraces; ++n)
            names += QString::number(n).contains(QLatin1Char('5')) ? 1 : 0;
        expected = names;
    }
    QCOMPARE(m_model->rowCount(), expected);
    for (int r = 0; r < m_model->rowCount(); ++r) {
        const auto &t = m_model->trace(r);
        switch (kind) {
        case 1: QVERIFY(t.error_count > 0); break;
        case 2: QCOMPARE(t.service_name, std::string("svc-a")); break;
        case 3: QCOMPARE(t.models, std::vector<std::string> { "claude-sonnet-4" }); break;
        case 4: QVERIFY(t.durationNs() >= 500'000'000); break;
        default: break;
        }
    }
    QCOMPARE(m_model->knownServices().isEmpty(), expected == 0);
}

void TestTraceList::liveInsertionKeepsSelection()
{
    m_model->setFilter({});
    waitLoaded();
    QItemSelectionModel selection(m_model.get());
    const QModelIndex picked = m_model->index(5, TraceTableModel::NameColumn);
    selection.setCurrentIndex(picked, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    const QPersistentModelIndex persistent(picked);
    const QString pickedId = picked.data(TraceTableModel::TraceIdRole).toString();

    // Three traces newer than everything shown.
    for (int n = kTraces; n < kTraces + 3; ++n)
        write(makeTrace(n, kBase + n * kSecond));
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    m_model->refreshNewer();
    QTRY_COMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(inserted.at(0).at(2).toInt(), 2);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(m_model->rowCount(), 203);
    QCOMPARE(m_model->trace(0).name, std::string("run 1002"));
    QCOMPARE(m_model->trace(2).name, std::string("run 1000"));

    QVERIFY(persistent.isValid());
    QCOMPARE(persistent.row(), 8);
    QCOMPARE(persistent.data(TraceTableModel::TraceIdRole).toString(), pickedId);
    QCOMPARE(selection.currentIndex().row(), 8);
    QVERIFY(selection.isRowSelected(8, {}));
    QCOMPARE(selection.selectedRows().size(), 1);

    // Nothing new: no change at all.
    m_model->refreshNewer();
    waitLoaded();
    QTRY_COMPARE(m_runner->pending(), 0);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(m_model->rowCount(), 203);

    // The next page still starts after the last loaded row: no duplicates, nothing skipped.
    loadAll();
    QCOMPARE(m_model->rowCount(), kTraces + 3);
    std::set<core::TraceId> ids;
    for (int r = 0; r < m_model->rowCount(); ++r)
        QVERIFY(ids.insert(m_model->trace(r).trace_id).second);
}

void TestTraceList::liveInsertionKeepsScrollPosition()
{
    ui::TraceTableView view;
    view.setModel(m_model.get());
    view.resize(600, 300);
    view.show();
    m_model->setFilter({});
    waitLoaded();
    QVERIFY(QTest::qWaitForWindowExposed(&view));

    // Scrolled down: the rows in sight stay in sight.
    view.scrollTo(m_model->index(60, 0), QAbstractItemView::PositionAtTop);
    const QString topBefore = view.indexAt(QPoint(1, 1)).data(TraceTableModel::TraceIdRole).toString();
    const int topRowBefore = view.indexAt(QPoint(1, 1)).row();
    QVERIFY(topRowBefore >= 55);
    const int count = m_model->rowCount();
    const int first = kTraces + 10;
    for (int n = first; n < first + 4; ++n)
        write(makeTrace(n, kBase + n * kSecond));
    m_model->refreshNewer();
    QTRY_COMPARE(m_model->rowCount(), count + 4);
    QCOMPARE(view.indexAt(QPoint(1, 1)).data(TraceTableModel::TraceIdRole).toString(), topBefore);
    QCOMPARE(view.indexAt(QPoint(1, 1)).row(), topRowBefore + 4);

    // At the top: the new rows push the list down and are shown.
    view.verticalScrollBar()->setValue(0);
    write(makeTrace(first + 4, kBase + (first + 4) * kSecond));
    m_model->refreshNewer();
    QTRY_COMPARE(m_model->rowCount(), count + 5);
    QCOMPARE(view.indexAt(QPoint(1, 1)).row(), 0);
    QCOMPARE(m_model->trace(0).name, "run " + std::to_string(first + 4));
}

void TestTraceList::liveUpdatesChangedRows()
{
    m_model->setFilter({});
    waitLoaded();
    const int row = 3;
    const auto before = m_model->trace(row);
    const int n = std::stoi(before.name.substr(4));
    // A late child span of a shown trace: its row changes in place.
    core::Span extra = makeTrace(n, before.start_ns)[1];
    extra.span_id = spanId(n, 7);
    extra.status = core::StatusCode::Error;
    write({ extra });
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    m_model->refreshNewer();
    QTRY_COMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), row);
    QCOMPARE(m_model->trace(row).span_count, before.span_count + 1);
    QVERIFY(m_model->index(row, 0).data(TraceTableModel::HasErrorsRole).toBool());
    QCOMPARE(inserted.count(), 0);
}

void TestTraceList::lateTraceGoesToItsPlace()
{
    m_model->setFilter({});
    waitLoaded();
    // Starts between shown traces (half a second after "run 950"), but arrives now.
    const int n = 50'000;
    auto spans = makeTrace(n, kBase + 950 * kSecond + kSecond / 2);
    write(std::move(spans));
    m_model->refreshNewer();
    QTRY_COMPARE(m_model->rowCount(), 201);
    const int row = m_model->rowOf(traceId(n));
    QCOMPARE(m_model->trace(row - 1).name, std::string("run 951"));
    QCOMPARE(m_model->trace(row + 1).name, std::string("run 950"));
}

void TestTraceList::displayFormats()
{
    store::TraceQuery q;
    q.name_contains = "run 124";
    m_model->setFilter(q);
    loadAll();
    QCOMPARE(m_model->rowCount(), 1);
    const auto text = [this](int column) { return m_model->index(0, column).data().toString(); };
    QCOMPARE(text(TraceTableModel::NameColumn), QStringLiteral("run 124"));
    QCOMPARE(text(TraceTableModel::ServiceColumn), QStringLiteral("svc-b"));
    QCOMPARE(text(TraceTableModel::DurationColumn), QStringLiteral("%1 ms").arg(durationOf(124) / 1'000'000));
    QCOMPARE(text(TraceTableModel::SpansColumn), QStringLiteral("2"));
    QCOMPARE(text(TraceTableModel::ErrorsColumn), QStringLiteral("—"));
    QCOMPARE(text(TraceTableModel::TokensColumn), QStringLiteral("234"));
    QCOMPARE(text(TraceTableModel::CostColumn), QStringLiteral("$0.024"));
    QCOMPARE(text(TraceTableModel::ModelsColumn), QStringLiteral("gpt-4o"));
    const auto align
        = m_model->index(0, TraceTableModel::TokensColumn).data(Qt::TextAlignmentRole).value<Qt::Alignment>();
    QVERIFY(align & Qt::AlignRight);
}

void TestTraceList::underModelTester()
{
    int stored = 0;
    store::TraceQuery all;
    all.limit = 1000;
    do {
        const auto page = m_store->listTraces(all);
        stored += static_cast<int>(page.traces.size());
        all.cursor = page.next_cursor;
    } while (!all.cursor.empty());

    attachTester();
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    m_model->setFilter({});
    // Never more than a page per fetch, however eager the consumer.
    QTRY_COMPARE_WITH_TIMEOUT(m_model->rowCount(), stored, 20000);
    QVERIFY(!m_model->canFetchMore({}));
    for (const auto &args : inserted)
        QVERIFY(args.at(2).toInt() - args.at(1).toInt() + 1 <= m_model->pageSize());
    QVERIFY(inserted.count() >= 5);

    m_model->sort(TraceTableModel::CostColumn, Qt::DescendingOrder);
    QTRY_VERIFY_WITH_TIMEOUT(!m_model->isLoading() && m_model->rowCount() == stored, 20000);
    QVERIFY(m_model->trace(0).cost_usd >= m_model->trace(m_model->rowCount() - 1).cost_usd);

    store::TraceQuery q;
    q.errors_only = true;
    m_model->setFilter(q);
    QTRY_VERIFY_WITH_TIMEOUT(!m_model->isLoading() && m_model->rowCount() < 200, 20000);

    m_model->sort(TraceTableModel::StartColumn, Qt::DescendingOrder);
    m_model->setFilter({});
    QTRY_VERIFY_WITH_TIMEOUT(!m_model->isLoading() && m_model->rowCount() == stored, 20000);
    write(makeTrace(60'000, kBase + 5000 * kSecond));
    m_model->refreshNewer();
    QTRY_COMPARE(m_model->rowCount(), stored + 1);
    QCOMPARE(m_model->trace(0).trace_id, traceId(60'000));
}

void TestTraceList::answersForGoneReceiversAreDropped()
{
    auto model = std::make_unique<TraceListModel>(m_runner.get());
    model->setFilter({});
    model->sort(TraceTableModel::CostColumn, Qt::DescendingOrder);
    QCOMPARE(m_runner->pending(), 2);
    model.reset(); // answers still on their way
    QTRY_COMPARE(m_runner->pending(), 0);
}

void TestTraceList::staleAnswersAreDropped()
{
    // Three reloads in a row: only the last one's page is shown, in one reset.
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    store::TraceQuery errors;
    errors.errors_only = true;
    m_model->setFilter({});
    m_model->setFilter(errors);
    store::TraceQuery service;
    service.service = "svc-c";
    m_model->setFilter(service);
    waitLoaded();
    QCOMPARE(reset.count(), 1);
    for (int r = 0; r < m_model->rowCount(); ++r)
        QCOMPARE(m_model->trace(r).service_name, std::string("svc-c"));
}

QTEST_MAIN(TestTraceList)
#include "tst_tracelist.moc"
