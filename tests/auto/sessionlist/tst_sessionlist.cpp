// SPDX-License-Identifier: MIT
#include "client/localsource.h"
#include "client/remotesource.h"
#include "client/tracesourcerunner.h"
#include "common/format.h"
#include "common/theme.h"
#include "shell/sessionlistmodel.h"
#include "store/sqlitestore.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <memory>
#include <set>

using namespace agentops;
using ui::SessionListModel;

namespace {

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kMinute = 60 * kSecond;
constexpr std::int64_t kBase = 1'735'689'600'000'000'000; // 2025-01-01T00:00:00Z
constexpr int kSessions = 130;

/// What the spans of one session add up to: the figures its row must show.
struct Expected
{
    std::string user;
    std::int64_t first_start = 0;
    std::int64_t last_end = 0;
    std::int64_t traces = 0;
    std::int64_t spans = 0;
    std::int64_t errors = 0;
    std::int64_t tokens = 0;
    double cost = 0;
    std::int64_t priced = 0;
    std::int64_t unpriced = 0;
};

std::string sessionName(int i)
{
    return "sess-" + std::to_string(1000 + i);
}

/// Session i: 1 to 3 agent runs, each a root span and one LLM call. Every fourth session has a
/// failed call, every fifth a model without a price, every seventh no tokens at all.
std::vector<core::Span> makeSessions(std::map<std::string, Expected> &expected)
{
    std::vector<core::Span> spans;
    for (int i = 0; i < kSessions; ++i) {
        Expected &e = expected[sessionName(i)];
        e.user = "user" + std::to_string(i % 4) + "@example.com";
        for (int t = 0; t <= i % 3; ++t) {
            core::Span root;
            root.trace_id[0] = 0x5e;
            root.trace_id[14] = static_cast<std::uint8_t>(i);
            root.trace_id[15] = static_cast<std::uint8_t>(t);
            root.span_id[0] = 1;
            root.span_id[7] = static_cast<std::uint8_t>(t);
            root.name = "agent run";
            root.kind = core::SpanKind::Agent;
            root.service_name = "sessions";
            root.session_id = sessionName(i);
            root.user_id = e.user;
            root.start_ns = kBase + std::int64_t { i } * 10 * kMinute + t * kMinute;
            root.end_ns = root.start_ns + std::int64_t { t + 1 } * 7 * kSecond;
            core::Span llm = root;
            llm.span_id[0] = 2;
            llm.parent_span_id = root.span_id;
            llm.name = "chat gpt-4o";
            llm.kind = core::SpanKind::Llm;
            llm.request_model = "gpt-4o";
            llm.start_ns = root.start_ns + kSecond;
            llm.end_ns = root.end_ns - kSecond;
            if (i % 7 != 0) {
                llm.tokens.input = 100 + i;
                llm.tokens.output = 10 + t;
                llm.tokens.total = 110 + i + t;
                if (i % 5 != 0)
                    llm.cost_usd = 0.001 * (i + 1);
            }
            if (i % 4 == 0 && t == 0)
                llm.status = core::StatusCode::Error;

            e.first_start = e.traces == 0 ? root.start_ns : std::min(e.first_start, root.start_ns);
            e.last_end = std::max(e.last_end, root.end_ns);
            ++e.traces;
            e.spans += 2;
            e.errors += llm.status == core::StatusCode::Error;
            e.tokens += llm.tokens.total.value_or(0);
            e.cost += llm.cost_usd.value_or(0);
            e.priced += llm.cost_usd.has_value();
            e.unpriced += llm.tokens.total && !llm.cost_usd;
            spans.push_back(std::move(root));
            spans.push_back(std::move(llm));
        }
    }
    return spans;
}

} // namespace

class TestSessionList : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void everyColumnSaysWhatTheSpansSay();
    void pagesUntilTheLast();
    void unreachableServerIsReported();

private:
    QString text(int row, int column, int role = Qt::DisplayRole) const
    {
        return m_model->index(row, column).data(role).toString();
    }
    void loadAll();

    QTemporaryDir m_dir;
    std::unique_ptr<store::SqliteStore> m_store;
    std::map<std::string, Expected> m_expected;
    std::unique_ptr<client::TraceSourceRunner> m_runner;
    std::unique_ptr<SessionListModel> m_model;
};

void TestSessionList::initTestCase()
{
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    QVERIFY(m_dir.isValid());
    m_store = std::make_unique<store::SqliteStore>(m_dir.filePath(QStringLiteral("traces.db")).toStdString());
    m_store->writeBatch(makeSessions(m_expected));
    m_runner = std::make_unique<client::TraceSourceRunner>(std::make_shared<client::LocalSource>(*m_store, nullptr));
    m_model = std::make_unique<SessionListModel>(m_runner.get());
    m_model->setPageSize(50);
}

void TestSessionList::loadAll()
{
    QSignalSpy reloaded(m_model.get(), &SessionListModel::reloaded);
    m_model->reload();
    QTRY_COMPARE_WITH_TIMEOUT(reloaded.count(), 1, 10000);
    while (m_model->canFetchMore({})) {
        const int before = m_model->rowCount();
        m_model->fetchMore({});
        QTRY_VERIFY_WITH_TIMEOUT(m_model->rowCount() > before || !m_model->canFetchMore({}), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(m_runner->pending() == 0, 10000);
    }
}

void TestSessionList::everyColumnSaysWhatTheSpansSay()
{
    loadAll();
    QCOMPARE(m_model->rowCount(), kSessions);
    const QPalette palette = QApplication::palette();
    int withErrors = 0;
    int withoutTokens = 0;
    int unpriced = 0;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const std::string id = text(row, SessionListModel::SessionColumn).toStdString();
        QVERIFY2(m_expected.count(id), id.c_str());
        const Expected &e = m_expected.at(id);
        QCOMPARE(
            text(row, SessionListModel::SessionColumn, SessionListModel::SessionIdRole), QString::fromStdString(id));
        QCOMPARE(text(row, SessionListModel::SessionColumn, Qt::ToolTipRole), QString::fromStdString(id));
        QCOMPARE(text(row, SessionListModel::UserColumn), QString::fromStdString(e.user));
        QCOMPARE(text(row, SessionListModel::LastActiveColumn), ui::format::startTime(e.last_end));
        QCOMPARE(text(row, SessionListModel::LastActiveColumn, Qt::ToolTipRole),
            QStringLiteral("%1 – %2").arg(ui::format::timestamp(e.first_start), ui::format::timestamp(e.last_end)));
        QCOMPARE(text(row, SessionListModel::DurationColumn), ui::format::duration(e.last_end - e.first_start));
        QCOMPARE(text(row, SessionListModel::TracesColumn), QString::number(e.traces));
        QCOMPARE(text(row, SessionListModel::SpansColumn), QString::number(e.spans));
        const QModelIndex errors = m_model->index(row, SessionListModel::ErrorsColumn);
        const QModelIndex tokens = m_model->index(row, SessionListModel::TokensColumn);
        const QModelIndex cost = m_model->index(row, SessionListModel::CostColumn);
        if (e.errors > 0) {
            ++withErrors;
            QCOMPARE(errors.data().toString(), QString::number(e.errors));
            QCOMPARE(errors.data(Qt::ForegroundRole).value<QColor>(), ui::theme::errorText(palette));
        } else {
            QCOMPARE(errors.data().toString(), QStringLiteral("—"));
            QCOMPARE(errors.data(Qt::ForegroundRole).value<QColor>(), ui::theme::mutedText(palette));
        }
        if (e.tokens > 0) {
            QCOMPARE(tokens.data().toString(), ui::format::count(e.tokens));
            QVERIFY(!tokens.data(Qt::ForegroundRole).isValid());
        } else {
            ++withoutTokens;
            QCOMPARE(tokens.data().toString(), QStringLiteral("—"));
            QCOMPARE(tokens.data(Qt::ForegroundRole).value<QColor>(), ui::theme::mutedText(palette));
        }
        unpriced += e.unpriced > 0;
        QCOMPARE(cost.data().toString(), ui::format::cost(e.cost, e.priced, e.unpriced));
        QCOMPARE(cost.data(Qt::ToolTipRole).toString(), ui::format::costNote(e.priced, e.unpriced));
        QCOMPARE(cost.data(Qt::ForegroundRole).isValid(), e.cost <= 0);
        // Numbers line up on the right, words on the left.
        QCOMPARE(cost.data(Qt::TextAlignmentRole).value<Qt::Alignment>(), Qt::AlignVCenter | Qt::AlignRight);
        QCOMPARE(m_model->index(row, SessionListModel::UserColumn).data(Qt::TextAlignmentRole).value<Qt::Alignment>(),
            Qt::AlignVCenter | Qt::AlignLeft);
    }
    // Each kind of row was there to be checked.
    QVERIFY(withErrors > 0 && withErrors < kSessions);
    QVERIFY(withoutTokens > 0);
    QVERIFY(unpriced > 0);

    const QStringList headers { QStringLiteral("Session"), QStringLiteral("Last active"), QStringLiteral("Duration"),
        QStringLiteral("Traces"), QStringLiteral("Spans"), QStringLiteral("Errors"), QStringLiteral("Tokens"),
        QStringLiteral("Cost"), QStringLiteral("User") };
    QCOMPARE(m_model->columnCount(), int(headers.size()));
    for (int c = 0; c < m_model->columnCount(); ++c)
        QCOMPARE(m_model->headerData(c, Qt::Horizontal).toString(), headers[c]);
    QCOMPARE(m_model->headerData(SessionListModel::TracesColumn, Qt::Horizontal, Qt::TextAlignmentRole)
                 .value<Qt::Alignment>(),
        Qt::AlignVCenter | Qt::AlignRight);
    QVERIFY(!m_model->headerData(m_model->columnCount(), Qt::Horizontal).isValid());
    QVERIFY(!m_model->headerData(0, Qt::Vertical).isValid());
    QVERIFY(!m_model->index(0, 0).data(Qt::DecorationRole).isValid());
    QCOMPARE(m_model->rowOf(sessionName(42)) >= 0, true);
    QCOMPARE(m_model->rowOf("no such session"), -1);
}

void TestSessionList::pagesUntilTheLast()
{
    SessionListModel model(m_runner.get());
    model.setPageSize(50);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reloaded(&model, &SessionListModel::reloaded);
    model.reload();
    QVERIFY(!model.canFetchMore({})); // not while the first page is on its way
    QTRY_COMPARE_WITH_TIMEOUT(reloaded.count(), 1, 10000);
    // The tester asks for more whenever it can, as a view with room does: 50, 100, then the last 30.
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), kSessions, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(m_runner->pending() == 0, 10000);
    QVERIFY(!model.canFetchMore({}));
    std::set<std::string> ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids.insert(model.index(row, SessionListModel::SessionColumn).data().toString().toStdString());
    QCOMPARE(ids.size(), std::size_t(kSessions)); // each once
    // Newest activity first, across the pages.
    for (int row = 1; row < model.rowCount(); ++row)
        QVERIFY(m_expected.at(model.index(row - 1, 0).data().toString().toStdString()).last_end
            >= m_expected.at(model.index(row, 0).data().toString().toStdString()).last_end);

    // A reload starts again from the first page.
    model.reload();
    QTRY_COMPARE_WITH_TIMEOUT(reloaded.count(), 2, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), kSessions, 10000);
}

void TestSessionList::unreachableServerIsReported()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 closed = probe.serverPort();
    probe.close();
    client::RemoteConfig config;
    config.base_url = "http://127.0.0.1:" + std::to_string(closed);
    config.max_retries = 0;
    client::TraceSourceRunner runner(std::make_shared<client::RemoteSource>(config));
    SessionListModel model(&runner);
    QSignalSpy failed(&model, &SessionListModel::loadFailed);
    QSignalSpy reloaded(&model, &SessionListModel::reloaded);
    model.reload();
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 20000);
    const QString message = failed.at(0).at(0).toString();
    QVERIFY2(message.contains(QString::number(closed)), qPrintable(message));
    QCOMPARE(reloaded.count(), 0);
    QCOMPARE(model.rowCount(), 0);
    // Not stuck in "fetching": a later reload asks again.
    model.reload();
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 2, 20000);
}

QTEST_MAIN(TestSessionList)
#include "tst_sessionlist.moc"
