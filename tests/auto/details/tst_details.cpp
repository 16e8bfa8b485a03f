// SPDX-License-Identifier: MIT
#include "details/attributemodel.h"
#include "details/chatmessages.h"
#include "details/elidedtextview.h"
#include "details/jsontreemodel.h"
#include "details/payloadview.h"
#include "details/spandetailsview.h"

#include "detailsfixtures.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTextBrowser>
#include <QThreadPool>
#include <QTreeView>

using namespace agentops;
using agentops::ui::ChatRole;
using namespace detailsfixtures;

namespace {

QString describe(std::string_view payload)
{
    const auto messages = ui::parseChatMessages(payload);
    if (!messages)
        return QStringLiteral("(not a conversation)");
    return QString::fromStdString(ui::describeMessages(*messages));
}

/// The first levels of a model as indented "key = value (type)" lines.
QString printTree(const QAbstractItemModel &model, const QModelIndex &parent = {}, int depth = 0, int maxDepth = 3)
{
    QString out;
    for (int r = 0; r < model.rowCount(parent); ++r) {
        const QModelIndex key = model.index(r, 0, parent);
        out += QString(qsizetype { depth } * 2, QLatin1Char(' ')) + key.data().toString() + QStringLiteral(" = ")
            + model.index(r, 1, parent).data().toString() + QStringLiteral(" (")
            + model.index(r, 2, parent).data().toString() + QStringLiteral(")\n");
        if (depth + 1 < maxDepth)
            out += printTree(model, key, depth + 1, maxDepth);
    }
    return out;
}

QStringList labelTexts(QWidget *w)
{
    QStringList out;
    const auto labels = w->findChildren<QLabel *>();
    for (const QLabel *l : labels)
        out << l->text();
    return out;
}

QString screenshotDir()
{
    const QString env = qEnvironmentVariable("AGENTOPS_SCREENSHOT_DIR");
    return env.isEmpty() ? QStringLiteral(AGENTOPS_BINARY_DIR "/screenshots") : env;
}

} // namespace

class TestDetails : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseConventions_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QString>("expected");

        for (const auto &c : detailsfixtures::conventions())
            QTest::newRow(c.name.c_str()) << QByteArray::fromStdString(c.payload) << QString::fromStdString(c.expected);
    }

    void parseConventions()
    {
        QFETCH(QByteArray, payload);
        QFETCH(QString, expected);
        QCOMPARE(describe(std::string_view(payload.constData(), std::size_t(payload.size()))), expected);
    }

    void prettyJsonKeepsOrder()
    {
        bool isJson = false;
        QCOMPARE(QString::fromStdString(ui::prettyJson("{\"z\":1,\"a\":[true]}", &isJson)),
            QStringLiteral("{\n  \"z\": 1,\n  \"a\": [\n    true\n  ]\n}"));
        QVERIFY(isJson);
        QCOMPARE(QString::fromStdString(ui::prettyJson("not json", &isJson)), QStringLiteral("not json"));
        QVERIFY(!isJson);
    }

    void jsonTreeModel()
    {
        std::string big
            = "{\"name\":\"search\",\"args\":{\"city\":\"Lisbon\",\"days\":[1,2,3]},\"ok\":true,\"n\":null,\"items\":[";
        for (int i = 0; i < 1000; ++i)
            big += (i ? "," : "") + std::to_string(i);
        big += "]}";
        auto doc = ui::JsonDocument::parse(big);
        QVERIFY(doc);
        ui::JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDocument(doc);
        QTreeView view;
        view.setModel(&model);
        ui::JsonTreeModel::expandDefault(&view, 2);
        const QString expected = QStringLiteral("name = search (string)\nargs = {2 keys} (object)\n"
                                                "  city = Lisbon (string)\n  days = [3 items] (array)\n"
                                                "ok = true (boolean)\nn = null (null)\nitems = [1000 items] (array)\n"
                                                "  [0] = 0 (integer)\n");
        QCOMPARE(printTree(model, {}, 0, 2).left(expected.size()), expected);
        QVERIFY(view.isExpanded(model.index(1, 0)));
        const QModelIndex items = model.index(4, 0);
        QCOMPARE(items.data().toString(), QStringLiteral("items"));
        QCOMPARE(model.rowCount(items), 1000);
        QCOMPARE(model.index(999, 1, items).data().toString(), QStringLiteral("999"));
        QCOMPARE(model.index(1, 0).data(ui::JsonTreeModel::JsonTextRole).toString(),
            QStringLiteral("{\"city\":\"Lisbon\",\"days\":[1,2,3]}"));

        // A scalar document is one row; a reset to nothing is empty.
        model.setDocument(ui::JsonDocument::parse("\"just a string\""));
        QCOMPARE(model.rowCount(), 1);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!ui::JsonDocument::parse("{broken"));
    }

    void attributeModelAndProxy()
    {
        ui::AttributeTable table;
        QAbstractItemModelTester sourceTester(table.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(table.proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        const core::Span s = llmSpan();
        table.setAttributes(s.attributes);
        QCOMPARE(table.proxy()->rowCount(), int(s.attributes.size()));
        QCOMPARE(table.model()->index(3, 1).data().toString(), QStringLiteral("0.2"));
        QCOMPARE(table.model()->index(3, 2).data().toString(), QStringLiteral("double"));

        table.filterEdit()->setText(QStringLiteral("USAGE"));
        QCOMPARE(table.proxy()->rowCount(), 2);
        table.filterEdit()->setText(QStringLiteral("openai.com")); // values match too
        QCOMPARE(table.proxy()->rowCount(), 1);
        QCOMPARE(table.proxy()->index(0, 0).data().toString(), QStringLiteral("server.address"));

        table.view()->setCurrentIndex(table.proxy()->index(0, 1));
        QCOMPARE(table.selectionText(), QStringLiteral("api.openai.com"));
        QTest::keySequence(table.view(), QKeySequence::Copy);
        QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("api.openai.com"));

        table.filterEdit()->clear();
        QCOMPARE(table.proxy()->rowCount(), int(s.attributes.size()));
        const QString json = table.allAsJson();
        QVERIFY(json.contains(QStringLiteral("\"gen_ai.response.finish_reasons\": [")));
        QVERIFY(json.startsWith(QStringLiteral("{\n  \"gen_ai.operation.name\": \"chat\"")));

        table.proxy()->sort(0);
        QCOMPARE(table.proxy()->index(0, 0).data().toString(), QStringLiteral("gen_ai.operation.name"));
        table.setAttributes({});
        QCOMPARE(table.proxy()->rowCount(), 0);
    }

    void largeTextIsElided()
    {
        core::Span s = baseSpan(5);
        s.name = "load document";
        s.kind = core::SpanKind::Chain;
        s.input = std::string(std::size_t { 5 } * 1024 * 1024, 'x');
        for (std::size_t i = 80; i < s.input.size(); i += 81)
            s.input[i] = '\n';
        ui::PayloadView view;
        QSignalSpy ready(&view, &ui::PayloadView::payloadReady);
        view.setSpan(traceOf({ s }), 0);
        // Over 1 MiB: read on a worker thread, the view says so meanwhile.
        QCOMPARE(view.mode(), ui::PayloadView::Mode::Loading);
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 20000);
        QCOMPARE(view.mode(), ui::PayloadView::Mode::Sections);
        QVERIFY(view.inputText()->isElided());
        QVERIFY(view.inputText()->editor()->toPlainText().size() <= ui::ElidedTextView::kElideBytes);
        view.inputText()->showAll();
        QVERIFY(!view.inputText()->isElided());
        QCOMPARE(view.inputText()->editor()->toPlainText().size(), qsizetype(s.input.size()));
    }

    void largeMessageIsElided()
    {
        core::Span s = llmSpan();
        s.input = "[{\"role\":\"user\",\"content\":\"" + std::string(std::size_t { 5 } * 1024 * 1024, 'y') + "\"}]";
        ui::PayloadView view;
        QSignalSpy ready(&view, &ui::PayloadView::payloadReady);
        view.setSpan(traceOf({ s }), 0);
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 20000);
        QCOMPARE(view.mode(), ui::PayloadView::Mode::Chat);
        QCOMPARE(view.elidedParts(), 1);
        QVERIFY(view.chatView()->document()->characterCount() < 200 * 1024);
        QVERIFY(view.chatView()->toPlainText().contains(QStringLiteral("Show all (5.2 MB)")));
    }

    void staleResultIsDropped()
    {
        core::Span big = baseSpan(6);
        big.name = "big";
        big.input = std::string(std::size_t { 3 } * 1024 * 1024, 'z');
        ui::PayloadView view;
        QSignalSpy ready(&view, &ui::PayloadView::payloadReady);
        view.setSpan(traceOf({ big }), 0);
        // On a busy machine the worker may finish before its continuation is attached, which then
        // applies at once; what must never happen is the big span landing after the switch.
        const auto before = ready.count();
        view.setSpan(traceOf({ failedToolSpan() }), 0); // selected before the big one was read
        QCOMPARE(ready.count(), before + 1);
        QCOMPARE(view.mode(), ui::PayloadView::Mode::Sections);
        // The big span's read has finished and its continuation has run: only now does "nothing
        // more arrived" say that the stale result was dropped.
        QThreadPool::globalInstance()->waitForDone();
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
        QCOMPARE(ready.count(), before + 1);
        QCOMPARE(view.inputModel()->index(0, 0).data().toString(), QStringLiteral("from"));
    }

    void toolSpanShowsJsonTrees()
    {
        ui::PayloadView view;
        view.setSpan(traceOf({ failedToolSpan() }), 0);
        QCOMPARE(view.mode(), ui::PayloadView::Mode::Sections);
        QCOMPARE(view.title(), QStringLiteral("Arguments && Result"));
        QCOMPARE(view.inputModel()->rowCount(), 5);
        const QModelIndex passengers = view.inputModel()->index(3, 0);
        QCOMPARE(passengers.data().toString(), QStringLiteral("passengers"));
        QCOMPARE(view.inputModel()->rowCount(passengers), 1); // expanded by default
    }

    void overview()
    {
        ui::SpanDetailsView view;
        core::Span s = llmSpan();
        view.setSpan(traceOf({ s }), 0);
        QStringList texts = labelTexts(view.tabs()->widget(ui::SpanDetailsView::OverviewTab));
        QVERIFY(texts.contains(QStringLiteral("chat gpt-4o")));
        QVERIFY(texts.contains(QStringLiteral("gpt-4o-2024-08-06")));
        QVERIFY(texts.contains(QStringLiteral("of which cache read")));
        QVERIFY2(texts.contains(QStringLiteral("$0.0034")), qPrintable(texts.join(QLatin1Char('|'))));
        {
            // The exact amount and the price row behind it, on hover.
            QString tip;
            for (auto *l : view.tabs()->widget(ui::SpanDetailsView::OverviewTab)->findChildren<QLabel *>())
                if (l->text() == QStringLiteral("$0.0034"))
                    tip = l->toolTip();
            QVERIFY2(tip.startsWith(QStringLiteral("$0.003412, priced by ")), qPrintable(tip));
        }
        QCOMPARE(view.tabs()->tabText(ui::SpanDetailsView::PayloadTab), QStringLiteral("Conversation"));

        // No price is never shown as $0.
        s.cost_usd.reset();
        view.setSpan(traceOf({ s }), 0);
        texts = labelTexts(view.tabs()->widget(ui::SpanDetailsView::OverviewTab));
        QVERIFY(texts.contains(QStringLiteral("no price")));
        QVERIFY(!texts.join(QLatin1Char('|')).contains(QStringLiteral("$0")));

        view.setSpan(traceOf({ failedToolSpan() }), 0);
        texts = labelTexts(view.tabs()->widget(ui::SpanDetailsView::OverviewTab));
        QVERIFY(
            texts.join(QLatin1Char('|')).contains(QStringLiteral("flight search backend did not answer within 1s")));
        QVERIFY(view.eventsView()->toPlainText().contains(QStringLiteral("raise TimeoutError from exc_val")));

        view.setSpan(nullptr, -1);
        QCOMPARE(view.tabs()->isVisible(), false);
    }

    void screenshots()
    {
        const QString dir = screenshotDir();
        QVERIFY(QDir().mkpath(dir));
        const auto shoot = [&](ui::SpanDetailsView &view, int tab, const QString &name) {
            view.tabs()->setCurrentIndex(tab);
            QApplication::processEvents();
            const QImage image = view.grab().toImage();
            QVERIFY(!image.isNull());
            QVERIFY(image.save(dir + QLatin1Char('/') + name));
        };
        ui::SpanDetailsView view;
        view.resize(700, 800);
        view.show();
        view.setSpan(traceOf({ llmSpan() }), 0);
        shoot(view, ui::SpanDetailsView::OverviewTab, QStringLiteral("details-llm-overview.png"));
        shoot(view, ui::SpanDetailsView::PayloadTab, QStringLiteral("details-llm-conversation.png"));
        shoot(view, ui::SpanDetailsView::AttributesTab, QStringLiteral("details-llm-attributes.png"));
        view.setSpan(traceOf({ failedToolSpan() }), 0);
        shoot(view, ui::SpanDetailsView::OverviewTab, QStringLiteral("details-tool-error-overview.png"));
        shoot(view, ui::SpanDetailsView::PayloadTab, QStringLiteral("details-tool-error-arguments.png"));
        shoot(view, ui::SpanDetailsView::EventsTab, QStringLiteral("details-tool-error-events.png"));

        // The same in a dark palette.
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x1f, 0x21, 0x24));
        dark.setColor(QPalette::WindowText, QColor(0xe8, 0xea, 0xed));
        dark.setColor(QPalette::Base, QColor(0x17, 0x18, 0x1b));
        dark.setColor(QPalette::AlternateBase, QColor(0x22, 0x24, 0x28));
        dark.setColor(QPalette::Text, QColor(0xe8, 0xea, 0xed));
        dark.setColor(QPalette::Button, QColor(0x2a, 0x2d, 0x31));
        dark.setColor(QPalette::ButtonText, QColor(0xe8, 0xea, 0xed));
        dark.setColor(QPalette::PlaceholderText, QColor(0x9a, 0xa0, 0xa6));
        dark.setColor(QPalette::Highlight, QColor(0x3d, 0x7b, 0xd9));
        dark.setColor(QPalette::Link, QColor(0x8a, 0xb4, 0xf8));
        const QPalette old = QApplication::palette();
        QApplication::setPalette(dark);
        view.setSpan(traceOf({ llmSpan() }), 0);
        shoot(view, ui::SpanDetailsView::PayloadTab, QStringLiteral("details-llm-conversation-dark.png"));
        view.setSpan(traceOf({ failedToolSpan() }), 0);
        shoot(view, ui::SpanDetailsView::OverviewTab, QStringLiteral("details-tool-error-overview-dark.png"));
        QApplication::setPalette(old);
        qInfo("screenshots in %s", qPrintable(dir));
    }
};

QTEST_MAIN(TestDetails)
#include "tst_details.moc"
