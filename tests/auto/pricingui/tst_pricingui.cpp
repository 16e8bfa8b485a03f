// SPDX-License-Identifier: MIT
// The price editor: the rows model, the overrides file, row validation through the price table
// loader, the model tester, re-pricing a real store (completed and cancelled), and screenshots.
#include "client/localbackend.h"
#include "client/priceoverrides.h"
#include "pricing/modelpricetester.h"
#include "pricing/priceeditordialog.h"
#include "pricing/pricerowdialog.h"
#include "pricing/pricetablemodel.h"
#include "pricing/repricer.h"
#include "store/ingestpipeline.h"
#include "store/sqlitestore.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <cmath>
#include <functional>
#include <map>

using namespace agentops;
using agentops::client::PriceOverrides;
using agentops::ui::PriceEditorDialog;
using agentops::ui::PriceRowDialog;
using agentops::ui::PriceTableModel;

namespace {

constexpr std::int64_t kBase = 1'741'564'800'000'000'000; // 2025-03-10T00:00:00Z

core::TraceId traceId(int n)
{
    core::TraceId id {};
    id[0] = 0x9c;
    id[14] = static_cast<std::uint8_t>(n >> 8);
    id[15] = static_cast<std::uint8_t>(n);
    return id;
}

core::Span llm(int trace, int span, const char *model, std::int64_t input, std::int64_t cached, std::int64_t output,
    std::int64_t reasoning = 0)
{
    core::Span s;
    s.trace_id = traceId(trace);
    s.span_id[7] = static_cast<std::uint8_t>(span);
    s.span_id[6] = static_cast<std::uint8_t>(span >> 8);
    s.parent_span_id[7] = 0xff; // under the agent span
    s.name = QStringLiteral("chat %1").arg(QLatin1String(model)).toStdString();
    s.kind = core::SpanKind::Llm;
    s.start_ns = kBase + trace * 1'000'000'000LL + std::int64_t { span } * 1'000'000;
    s.end_ns = s.start_ns + 500'000'000;
    s.service_name = "support-bot";
    s.request_model = model;
    s.response_model = model;
    s.provider = "openai";
    s.tokens.input = input;
    s.tokens.output = output;
    if (cached)
        s.tokens.cache_read = cached;
    if (reasoning)
        s.tokens.reasoning = reasoning;
    return s;
}

core::Span agent(int trace)
{
    core::Span s;
    s.trace_id = traceId(trace);
    s.span_id[7] = 0xff;
    s.name = "agent run";
    s.kind = core::SpanKind::Agent;
    s.start_ns = kBase + trace * 1'000'000'000LL;
    s.end_ns = s.start_ns + 900'000'000;
    s.service_name = "support-bot";
    return s;
}

core::PriceRow row(const char *json)
{
    std::string error;
    auto t = core::PriceTable::fromJson(
        std::string(R"({"format": 1, "rows": [)") + json + "]}", error, core::PriceRow::Source::Override);
    if (!t)
        qFatal("bad test row: %s", error.c_str());
    return t->rows().front();
}

/// gpt-4o at new prices (the shipped row is 2.50 / 1.25 cached / 10.00).
core::PriceRow gpt4oOverride()
{
    return row(R"({"id": "gpt-4o", "provider": "openai", "models": ["gpt-4o", "gpt-4o-2024-08-06",
        "gpt-4o-2024-11-20"], "patterns": ["gpt-4o-20*", "*/gpt-4o"],
        "prices": {"input": 5, "cache_read": 0.5, "output": 20}, "as_of": "2026-01-15",
        "note": "negotiated rate"})");
}

/// A model the shipped table does not know.
core::PriceRow finetuneRow()
{
    return row(R"({"id": "acme-finetune", "provider": "openai", "models": ["ft:gpt-4o-mini:acme:support:1"],
        "patterns": ["ft:gpt-4o-mini:acme:*"], "prices": {"input": 1, "output": 2}, "as_of": "2026-01-15"})");
}

bool near(double a, double b)
{
    return std::abs(a - b) <= 1e-12 + 1e-9 * std::abs(b);
}

QString screenshotDir()
{
    QString dir = qEnvironmentVariable("AGENTOPS_SCREENSHOT_DIR");
    if (dir.isEmpty())
        dir = QStringLiteral(AGENTOPS_BINARY_DIR "/screenshots");
    QDir().mkpath(dir);
    return dir;
}

/// Every trace's summary cost and unpriced count must be what its stored spans say.
void checkSummariesMatchSpans(store::TraceStore &store, const std::vector<core::TraceId> &ids)
{
    for (const auto &id : ids) {
        const auto detail = store.trace(id);
        QVERIFY(detail);
        double sum = 0;
        std::int64_t unpriced = 0;
        for (const auto &s : detail->spans) {
            sum += s.cost_usd.value_or(0);
            unpriced += (s.kind == core::SpanKind::Llm && !s.tokens.empty() && !s.cost_usd) ? 1 : 0;
        }
        QVERIFY2(near(detail->summary.cost_usd, sum),
            qPrintable(QStringLiteral("%1 != %2").arg(detail->summary.cost_usd).arg(sum)));
        QCOMPARE(detail->summary.unpriced_spans, unpriced);
    }
}

/// Runs f on the modal dialog of type T as soon as one opens: what a user does in a dialog that
/// the code under test opens and waits for.
template<typename T>
void whenOpen(std::function<void(T *)> f)
{
    auto *timer = new QTimer;
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, [timer, f] {
        auto *w = qobject_cast<T *>(QApplication::activeModalWidget());
        if (!w || !w->isVisible())
            return;
        timer->stop();
        timer->deleteLater();
        f(w);
    });
    timer->start();
}

/// Fills the named fields of a row dialog as a user types, then presses OK.
std::function<void(PriceRowDialog *)> fillAndOk(std::map<QString, QString> fields, QString *shownError = nullptr)
{
    return [fields = std::move(fields), shownError](PriceRowDialog *dialog) {
        for (const auto &[name, value] : fields) {
            if (auto *edit = dialog->findChild<QLineEdit *>(name)) {
                edit->setText(value);
            } else if (auto *combo = dialog->findChild<QComboBox *>(name)) {
                combo->setCurrentText(value);
            }
        }
        // The dialog's accept() is not public, QDialog's is. As OK does:
        static_cast<QDialog *>(dialog)->accept(); // clazy:exclude=unneeded-cast
        if (dialog->isVisible()) { // refused: say why, and leave
            if (shownError)
                *shownError = dialog->findChild<QLabel *>(QStringLiteral("error"))->text();
            dialog->reject();
        }
    };
}

} // namespace

class TestPricingUi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(PriceOverrides::defaultPath().contains(QStringLiteral(".qttest")));
    }

    void init() { QFile::remove(PriceOverrides::defaultPath()); }
    void cleanup() { QFile::remove(PriceOverrides::defaultPath()); }

    void modelUnderTester()
    {
        PriceTableModel model;
        ui::PriceFilterModel filter;
        filter.setSourceModel(&model);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester filterTester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const auto &shipped = core::shippedPriceTable();
        model.setTable(shipped, shipped);
        QCOMPARE(model.rowCount(), static_cast<int>(shipped.rows().size()));
        QCOMPARE(model.columnCount(), int(PriceTableModel::NUM_COLUMNS));

        PriceOverrides overrides(QStringLiteral("unused.json"));
        QVERIFY(overrides.setRows({ gpt4oOverride(), finetuneRow() }));
        const auto effective = overrides.effectiveTable();
        model.setTable(*effective, shipped);
        // The override replaces gpt-4o in place; the new row comes last.
        QCOMPARE(model.rowCount(), static_cast<int>(shipped.rows().size()) + 1);
        const int gpt4o = model.indexOfId(QStringLiteral("gpt-4o"));
        QCOMPARE(gpt4o, 0);
        auto cell = [&](int r, int c, int role = Qt::DisplayRole) { return model.index(r, c).data(role); };
        QCOMPARE(cell(gpt4o, PriceTableModel::InputColumn).toString(), QStringLiteral("$5.00"));
        QCOMPARE(cell(gpt4o, PriceTableModel::CacheReadColumn).toString(), QStringLiteral("$0.50"));
        // Not set: the price it falls back to, dimmed, with a tooltip saying so.
        QCOMPARE(cell(gpt4o, PriceTableModel::CacheWriteColumn).toString(), QStringLiteral("$5.00"));
        QVERIFY(cell(gpt4o, PriceTableModel::CacheWriteColumn, Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("input price")));
        QCOMPARE(cell(gpt4o, PriceTableModel::ReasoningColumn).toString(), QStringLiteral("$20.00"));
        QCOMPARE(cell(gpt4o, PriceTableModel::SourceColumn).toString(), QStringLiteral("Override"));
        QVERIFY(cell(gpt4o, PriceTableModel::SourceColumn, Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("in place of the shipped row")));
        QCOMPARE(cell(gpt4o, PriceTableModel::IdColumn, PriceTableModel::IsOverrideRole).toBool(), true);
        const int ft = model.indexOfId(QStringLiteral("acme-finetune"));
        QCOMPARE(ft, model.rowCount() - 1);
        QCOMPARE(cell(ft, PriceTableModel::SourceColumn).toString(), QStringLiteral("Override"));
        QCOMPARE(cell(ft, PriceTableModel::NamesColumn).toString(),
            QStringLiteral("ft:gpt-4o-mini:acme:support:1, ft:gpt-4o-mini:acme:*"));
        const int sonnet = model.indexOfId(QStringLiteral("claude-sonnet-4-5"));
        QCOMPARE(cell(sonnet, PriceTableModel::TiersColumn).toString(), QStringLiteral("above 200K"));
        QVERIFY(cell(sonnet, PriceTableModel::TiersColumn, Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("above 200K: in $6.00")));
        QCOMPARE(cell(sonnet, PriceTableModel::SourceColumn).toString(), QStringLiteral("Shipped"));
        QCOMPARE(cell(sonnet, PriceTableModel::InputColumn, PriceTableModel::SortRole).toDouble(), 3.0);

        // Filter on names, id and provider, case-insensitively.
        filter.setFilterFixedString(QStringLiteral("ACME"));
        QCOMPARE(filter.rowCount(), 1);
        QCOMPARE(filter.index(0, 0).data().toString(), QStringLiteral("acme-finetune"));
        filter.setFilterFixedString(QStringLiteral("anthropic"));
        QVERIFY(filter.rowCount() > 5);
        filter.setFilterFixedString(QString());
        filter.sort(PriceTableModel::InputColumn, Qt::DescendingOrder);
        double last = 1e9;
        for (int r = 0; r < filter.rowCount(); ++r) {
            const double v = filter.index(r, PriceTableModel::InputColumn).data(PriceTableModel::SortRole).toDouble();
            QVERIFY(v <= last);
            last = v;
        }
        model.setTable(shipped, shipped);
        QCOMPARE(model.indexOfId(QStringLiteral("acme-finetune")), -1);
    }

    void overridesRoundTripThroughTheFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("sub/prices.json"));
        PriceOverrides out(path);
        QVERIFY(out.load()); // no file: no overrides
        QVERIFY(out.rows().empty());
        // "\/" in the URL: moc reads "//" in a raw string as the start of a comment.
        auto withTier = row(R"({"id": "long", "provider": "acme", "models": ["acme-long"],
            "prices": {"input": 1.25, "output": 10, "reasoning": 12.5, "cache_write": 1.5},
            "tiers": [{"above_input_tokens": 200000, "prices": {"input": 2.5}},
                      {"above_input_tokens": 1000000, "prices": {"input": 5, "output": 20}}],
            "as_of": "2026-02-01", "url": "https:\/\/example.com/prices"})");
        QVERIFY(out.setRows({ gpt4oOverride(), finetuneRow(), withTier }));
        QString error;
        QVERIFY2(out.save(&error), qPrintable(error));

        PriceOverrides in(path);
        QVERIFY2(in.load(&error), qPrintable(error));
        QCOMPARE(in.rows().size(), std::size_t(3));
        QVERIFY(in.rows() == out.rows());
        for (const auto &r : in.rows())
            QVERIFY(r.source == core::PriceRow::Source::Override);
        // The file is the documented format, readable as a price table of its own.
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY(text.startsWith("{\n  \"format\": 1,\n  \"currency\": \"USD\""));
        std::string why;
        QVERIFY(core::PriceTable::fromJson(text.toStdString(), why));

        // The default location, under the (test-mode) application data folder.
        PriceOverrides def;
        QCOMPARE(def.path(),
            QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/prices.json"));
        QVERIFY(def.setRows({ finetuneRow() }));
        QVERIFY(def.save());
        PriceOverrides again;
        QVERIFY(again.load());
        QCOMPARE(again.rows().size(), std::size_t(1));

        // Removing every row leaves a valid, empty file.
        QVERIFY(in.setRows({}));
        QVERIFY(in.save());
        QVERIFY(out.load());
        QVERIFY(out.rows().empty());
    }

    void brokenFileIsReportedAndKeepsRows()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("prices.json"));
        PriceOverrides overrides(path);
        QVERIFY(overrides.setRows({ finetuneRow() }));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"rows": [{"id": "x", "provider": "p", "models": ["m"],
            "prices": {"input": 1, "output": 2, "cached_input": 1}, "as_of": "2026-01-01"}]})");
        file.close();
        QString error;
        QVERIFY(!overrides.load(&error));
        QVERIFY2(error.contains(path), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("rows[0] (id \"x\"): prices.cached_input: unknown field")),
            qPrintable(error));
        QCOMPARE(overrides.rows().size(), std::size_t(1));
        // Rows that would not load back are refused.
        QVERIFY(!overrides.setRows({ finetuneRow(), finetuneRow() }, &error));
        QVERIFY2(error.contains(QStringLiteral("also the id")), qPrintable(error));
    }

    void overrideChangesTheEffectiveTable()
    {
        PriceOverrides overrides(QStringLiteral("unused.json"));
        auto shippedOnly = overrides.effectiveTable();
        // A model without a price, and a shipped one.
        QVERIFY(!shippedOnly->match("ft:gpt-4o-mini:acme:support:1"));
        QCOMPARE(shippedOnly->match("gpt-4o-2024-11-20")->prices.input, std::optional<double>(2.5));

        QVERIFY(overrides.setRows({ gpt4oOverride(), finetuneRow() }));
        const auto effective = overrides.effectiveTable();
        const auto *ft = effective->match("ft:gpt-4o-mini:acme:support:1");
        QVERIFY(ft);
        QCOMPARE(ft->id, std::string("acme-finetune"));
        QVERIFY(effective->match("FT:gpt-4o-mini:acme:other")); // by its pattern
        const auto *gpt = effective->match("gpt-4o-2024-11-20");
        QVERIFY(gpt);
        QVERIFY(gpt->source == core::PriceRow::Source::Override);
        QCOMPARE(gpt->prices.input, std::optional<double>(5));
        // The same span costs what the new row says: 2,000 × $5 + 8,000 × $0.50 + 500 × $20 per million.
        auto span = llm(1, 1, "gpt-4o", 10'000, 8'000, 500);
        core::applyPrice(span, *effective);
        QVERIFY(near(*span.cost_usd, 0.024));
        QCOMPARE(span.price_ref, std::string("gpt-4o@2026-01-15"));
        core::applyPrice(span, *shippedOnly);
        QVERIFY(near(*span.cost_usd, 0.02));
        // Rows the override does not touch are the shipped ones.
        QCOMPARE(effective->rows().size(), shippedOnly->rows().size() + 1);
        QVERIFY(*effective->match("o3") == *shippedOnly->match("o3"));
    }

    void validationNamesTheField_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("input not a number")
            << "prices.input"
            << "abc"
            << "Input price: must be a number >= 0 (USD per million tokens), got \"abc\"";
        QTest::newRow("negative cached") << "prices.cache_read"
                                         << "-1"
                                         << "Cached read price: must be a number >= 0 (USD per million tokens), got";
        QTest::newRow("output missing") << "prices.output"
                                        << ""
                                        << "Output price: is required";
        QTest::newRow("id empty") << "id"
                                  << ""
                                  << "Id: must be a non-empty string";
        QTest::newRow("provider empty") << "provider"
                                        << ""
                                        << "Provider: must be a non-empty string";
        QTest::newRow("glob in models") << "models"
                                        << "gpt-4o*"
                                        << "Model names: \"gpt-4o*\" contains '*'; list globs under patterns";
        QTest::newRow("pattern without star") << "patterns"
                                              << "gpt-4o"
                                              << "Patterns: \"gpt-4o\" has no '*'; list exact names under models";
        QTest::newRow("pattern too wide") << "patterns"
                                          << "a*"
                                          << "Patterns: \"a*\" must contain at least 3";
        QTest::newRow("no names") << "models"
                                  << ""
                                  << "Model names: a row needs at least one model name or pattern";
        QTest::newRow("tier threshold") << "tier.above"
                                        << "lots"
                                        << "Tier 1, above input tokens: must be a whole number > 0, got \"lots\"";
        QTest::newRow("tier fraction") << "tier.above"
                                       << "1.5"
                                       << "Tier 1, above input tokens: must be a whole number > 0, got 1.5";
        QTest::newRow("tier price") << "tier.output"
                                    << "x"
                                    << "Tier 1, output price: must be a number >= 0 (USD per million tokens)";
        QTest::newRow("tier order") << "tier2.above"
                                    << "1000"
                                    << "Tier 2, above input tokens: must be larger than the previous tier's";
        QTest::newRow("tier without prices") << "tier.clear"
                                             << ""
                                             << "Tier 1 prices: must set at least one price";
        QTest::newRow("id of another override") << "id"
                                                << "acme-finetune"
                                                << "Id: “acme-finetune” is already the id of another of your rows";
        QTest::newRow("name of another override") << "models"
                                                  << "my-model, ft:gpt-4o-mini:acme:support:1"
                                                  << "Model names: “ft:gpt-4o-mini:acme:support:1” is already "
                                                     "listed by your row “acme-finetune”";
    }

    void validationNamesTheField()
    {
        QFETCH(QString, field);
        QFETCH(QString, value);
        QFETCH(QString, expected);
        PriceRowDialog dialog(QStringLiteral("Add"));
        dialog.setContext({ finetuneRow() }, &core::shippedPriceTable());
        dialog.setRow(row(R"({"id": "mine", "provider": "acme", "models": ["my-model"],
            "prices": {"input": 1, "output": 2},
            "tiers": [{"above_input_tokens": 100000, "prices": {"input": 2}},
                      {"above_input_tokens": 200000, "prices": {"input": 3}}],
            "as_of": "2026-01-01"})"));
        QVERIFY2(dialog.validate(), qPrintable(dialog.errorText())); // the starting row is valid
        QVERIFY(dialog.row());
        QCOMPARE(dialog.row()->tiers.size(), std::size_t(2));

        auto *tiers = dialog.findChild<QTableWidget *>(QStringLiteral("tiers"));
        QVERIFY(tiers);
        if (field == QLatin1String("tier.above")) {
            tiers->item(0, PriceRowDialog::TierAboveColumn)->setText(value);
        } else if (field == QLatin1String("tier2.above")) {
            tiers->item(1, PriceRowDialog::TierAboveColumn)->setText(value);
        } else if (field == QLatin1String("tier.output")) {
            tiers->item(0, PriceRowDialog::TierOutputColumn)->setText(value);
        } else if (field == QLatin1String("tier.clear")) {
            tiers->item(0, PriceRowDialog::TierInputColumn)->setText(value);
        } else if (field == QLatin1String("provider")) {
            dialog.findChild<QComboBox *>(field)->setCurrentText(value);
        } else {
            auto *edit = dialog.findChild<QLineEdit *>(field);
            QVERIFY2(edit, qPrintable(field));
            edit->setText(value);
        }
        QVERIFY(!dialog.validate());
        QVERIFY(!dialog.row());
        QVERIFY2(dialog.errorText().startsWith(expected), qPrintable(dialog.errorText()));
    }

    void describeErrorKeepsOtherMessages()
    {
        QString field;
        QCOMPARE(PriceRowDialog::describeError(QStringLiteral("rows[0] (id \"a: b\"): prices.reasoning: must be"),
                     QStringLiteral("a: b"), &field),
            QStringLiteral("Reasoning price: must be"));
        QCOMPARE(field, QStringLiteral("prices.reasoning"));
        QCOMPARE(PriceRowDialog::describeError(QStringLiteral("not valid JSON: x"), QString(), &field),
            QStringLiteral("not valid JSON: x"));
        QVERIFY(field.isEmpty());
    }

    void formBuildsTheRow()
    {
        PriceRowDialog dialog(QStringLiteral("Add"));
        dialog.setContext({}, &core::shippedPriceTable());
        dialog.findChild<QLineEdit *>(QStringLiteral("id"))->setText(QStringLiteral("  gpt-4o "));
        dialog.findChild<QComboBox *>(QStringLiteral("provider"))->setCurrentText(QStringLiteral("openai"));
        dialog.findChild<QLineEdit *>(QStringLiteral("models"))->setText(QStringLiteral("GPT-4o, gpt-4o-2024-11-20"));
        dialog.findChild<QLineEdit *>(QStringLiteral("patterns"))->setText(QStringLiteral("gpt-4o-20*"));
        dialog.findChild<QLineEdit *>(QStringLiteral("prices.input"))->setText(QStringLiteral("$2.5"));
        dialog.findChild<QLineEdit *>(QStringLiteral("prices.output"))->setText(QStringLiteral("10"));
        dialog.findChild<QLineEdit *>(QStringLiteral("prices.reasoning"))->setText(QStringLiteral("0.0375"));
        QVERIFY2(dialog.validate(), qPrintable(dialog.errorText()));
        const auto &r = *dialog.row();
        QCOMPARE(r.id, std::string("gpt-4o"));
        QCOMPARE(r.models, (std::vector<std::string> { "gpt-4o", "gpt-4o-2024-11-20" }));
        QCOMPARE(r.prices.input, std::optional<double>(2.5));
        QCOMPARE(r.prices.reasoning, std::optional<double>(0.0375));
        QVERIFY(!r.prices.cache_read);
        QVERIFY(r.source == core::PriceRow::Source::Override);
        // Sharing names with the shipped row of the same id is what an override does.
        QVERIFY(dialog.errorText().isEmpty());
    }

    void testerTracesACostToItsRow()
    {
        ui::ModelPriceTester tester;
        QSignalSpy matched(&tester, &ui::ModelPriceTester::matchChanged);
        PriceOverrides overrides(QStringLiteral("unused.json"));
        QVERIFY(overrides.setRows({ gpt4oOverride() }));
        tester.setTable(overrides.effectiveTable());
        tester.setModelName(QStringLiteral("openai/gpt-4o"));
        QCOMPARE(tester.matchedId(), QStringLiteral("gpt-4o"));
        QCOMPARE(matched.count(), 1);
        tester.setTokens(10'000, 8'000, 500, 0);
        QVERIFY(tester.cost());
        QVERIFY(near(tester.cost()->total_usd, 0.024));
        const QString text = tester.resultText();
        QVERIFY2(text.contains(QStringLiteral("pattern “*/gpt-4o”")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("your override")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("$0.0240")), qPrintable(text));
        QVERIFY2(
            text.contains(QStringLiteral("2,000 input × $5.00/M + 8,000 cached × $0.50/M + 500 output × $20.00/M")),
            qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("gpt-4o@2026-01-15")), qPrintable(text));

        // Reasoning without its own price is billed as output; the long-context tier is named.
        tester.setTable(std::make_shared<core::PriceTable>(core::shippedPriceTable()));
        tester.setModelName(QStringLiteral("claude-sonnet-4-5-20250929"));
        tester.setTokens(300'000, 0, 1'000, 400);
        QVERIFY(text != tester.resultText());
        QVERIFY2(tester.resultText().contains(QStringLiteral("exact name")), qPrintable(tester.resultText()));
        QVERIFY(tester.resultText().contains(QStringLiteral("long-context tier")));
        // 300,000 × $6 + 600 × $22.50 + 400 × $22.50 per million.
        QVERIFY(near(tester.cost()->total_usd, 1.8 + 0.0135 + 0.009));

        tester.setModelName(QStringLiteral("acme-unknown-model"));
        QVERIFY(tester.matchedId().isEmpty());
        QVERIFY(!tester.cost());
        QVERIFY(tester.resultText().contains(QStringLiteral("No row prices")));
    }

    void localBackendUsesOverrides()
    {
        PriceOverrides overrides;
        QVERIFY(overrides.setRows({ finetuneRow() }));
        QVERIFY(overrides.save());
        QTemporaryDir dir;
        client::LocalBackend backend(dir.filePath(QStringLiteral("traces.db")));
        backend.setServerSettings({ false, QStringLiteral("127.0.0.1"), 0 });
        QString error;
        QVERIFY2(backend.start(&error), qPrintable(error));
        const auto table = backend.pipeline()->priceTable();
        QVERIFY(table);
        QVERIFY(table->match("ft:gpt-4o-mini:acme:support:1"));
        QVERIFY(table->match("gpt-4o"));
        backend.stop();
    }

    void editorButtonsDoWhatTheySay()
    {
        QTemporaryDir dir;
        client::LocalBackend backend(dir.filePath(QStringLiteral("traces.db")));
        backend.setServerSettings({ false, QStringLiteral("127.0.0.1"), 0 });
        QVERIFY(backend.start());
        auto dialog = std::make_unique<PriceEditorDialog>(backend, nullptr);
        dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(dialog.get()));
        auto button = [&dialog](const QString &text) -> QPushButton * {
            for (auto *b : dialog->findChildren<QPushButton *>())
                if (b->text() == text)
                    return b;
            return nullptr;
        };
        QPushButton *add = button(QStringLiteral("Add…"));
        QPushButton *duplicate = button(QStringLiteral("Duplicate as override…"));
        QPushButton *remove = button(QStringLiteral("Remove override"));
        QPushButton *save = button(QStringLiteral("Save"));
        QVERIFY(add && duplicate && remove && save);
        const auto &shipped = *core::shippedPriceTable().match("gpt-4o");
        const QString gpt = QString::fromStdString(shipped.id);
        QVERIFY(!save->isEnabled());

        // A shipped row: its button offers an override, and there is nothing of the user's to remove.
        dialog->selectRow(gpt);
        QPushButton *edit = button(QStringLiteral("Override…"));
        QVERIFY(edit && edit->isEnabled());
        QVERIFY(!remove->isEnabled());
        bool idLocked = false;
        whenOpen<PriceRowDialog>([&idLocked](PriceRowDialog *d) {
            idLocked = !d->findChild<QLineEdit *>(QStringLiteral("id"))->isEnabled(); // keeps the shipped id
            fillAndOk({ { QStringLiteral("prices.input"), QStringLiteral("7") } })(d);
        });
        edit->click();
        QVERIFY(idLocked);
        QCOMPARE(dialog->overrides().size(), std::size_t(1));
        QCOMPARE(dialog->overrides()[0].id, shipped.id);
        QCOMPARE(dialog->effectiveTable()->match("gpt-4o")->prices.input, std::optional<double>(7));
        QCOMPARE(edit->text(), QStringLiteral("Edit…")); // the user's row now
        QVERIFY(remove->isEnabled());
        QVERIFY(save->isEnabled());
        QVERIFY(dialog->statusText().contains(QStringLiteral("unsaved")));

        // Edit… changes it again: still one row of the user's.
        whenOpen<PriceRowDialog>(fillAndOk({ { QStringLiteral("prices.input"), QStringLiteral("8") } }));
        edit->click();
        QCOMPARE(dialog->overrides().size(), std::size_t(1));
        QCOMPARE(dialog->effectiveTable()->match("gpt-4o")->prices.input, std::optional<double>(8));

        // Duplicate: a new row of its own id, for model names the user gives it.
        QString refused;
        whenOpen<PriceRowDialog>(fillAndOk({ { QStringLiteral("models"), QStringLiteral("my-gpt") } }, &refused));
        duplicate->click();
        QVERIFY2(refused.isEmpty(), qPrintable(refused));
        QCOMPARE(dialog->overrides().size(), std::size_t(2));
        QCOMPARE(dialog->overrides()[1].id, shipped.id + "-custom");
        QCOMPARE(dialog->effectiveTable()->match("my-gpt")->prices.input, std::optional<double>(8));
        QCOMPARE(dialog->view()->currentIndex().data(PriceTableModel::RowIdRole).toString(),
            gpt + QStringLiteral("-custom"));
        // Duplicated again from the original: the next free id; cancelled, nothing changes.
        dialog->selectRow(gpt);
        QString offeredId;
        whenOpen<PriceRowDialog>([&offeredId](PriceRowDialog *d) {
            offeredId = d->findChild<QLineEdit *>(QStringLiteral("id"))->text();
            d->reject();
        });
        duplicate->click();
        QCOMPARE(offeredId, gpt + QStringLiteral("-custom-2"));
        QCOMPARE(dialog->overrides().size(), std::size_t(2));

        // Add: a row for a model the shipped table does not know.
        whenOpen<PriceRowDialog>(fillAndOk({ { QStringLiteral("id"), QStringLiteral("local-llama") },
                                               { QStringLiteral("provider"), QStringLiteral("ollama") },
                                               { QStringLiteral("models"), QStringLiteral("llama-3.1-70b-local") },
                                               { QStringLiteral("prices.input"), QStringLiteral("0.1") },
                                               { QStringLiteral("prices.output"), QStringLiteral("0.2") } },
            &refused));
        add->click();
        QVERIFY2(refused.isEmpty(), qPrintable(refused));
        QCOMPARE(dialog->overrides().size(), std::size_t(3));
        QCOMPARE(dialog->effectiveTable()->match("llama-3.1-70b-local")->prices.output, std::optional<double>(0.2));

        // The filter narrows the table; Delete on the table removes the user's row under the cursor.
        dialog->filterEdit()->setText(QStringLiteral("local-llama"));
        QCOMPARE(dialog->filterModel()->rowCount(), 1);
        dialog->filterEdit()->clear();
        dialog->selectRow(QStringLiteral("local-llama"));
        dialog->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(dialog.get()));
        dialog->view()->setFocus();
        QTRY_COMPARE(QApplication::focusWidget(), dialog->view());
        QTest::keyClick(dialog->view(), Qt::Key_Delete);
        QCOMPARE(dialog->overrides().size(), std::size_t(2));
        QVERIFY(!dialog->effectiveTable()->match("llama-3.1-70b-local"));
        // Removing the override of a shipped row brings the shipped prices back.
        dialog->selectRow(gpt);
        remove->click();
        QCOMPARE(dialog->overrides().size(), std::size_t(1));
        QCOMPARE(dialog->effectiveTable()->match("gpt-4o")->prices.input, shipped.prices.input);
        // A shipped row cannot be removed.
        QVERIFY(!remove->isEnabled());
        QTest::keyClick(dialog->view(), Qt::Key_Delete);
        QCOMPARE(dialog->overrides().size(), std::size_t(1));

        // Close with unsaved changes: Cancel stays, Discard leaves without writing the file.
        QPushButton *close = button(QStringLiteral("Close"));
        whenOpen<QMessageBox>([](QMessageBox *box) { box->button(QMessageBox::Cancel)->click(); });
        close->click();
        QVERIFY(dialog->isVisible());
        whenOpen<QMessageBox>([](QMessageBox *box) { box->button(QMessageBox::Discard)->click(); });
        close->click();
        QVERIFY(!dialog->isVisible());
        QVERIFY(!QFile::exists(PriceOverrides::defaultPath()));

        // And Save writes it: the next editor opens with the row.
        dialog = std::make_unique<PriceEditorDialog>(backend, nullptr);
        QVERIFY(dialog->setOverrides({ gpt4oOverride() }));
        dialog->show();
        whenOpen<QMessageBox>([](QMessageBox *box) { box->button(QMessageBox::Save)->click(); });
        button(QStringLiteral("Close"))->click();
        QVERIFY(!dialog->isVisible());
        PriceOverrides file;
        QVERIFY(file.load());
        QCOMPARE(file.rows().size(), std::size_t(1));
        QCOMPARE(file.rows()[0].id, gpt4oOverride().id);
    }

    void saveAndRepriceStoredTraces()
    {
        QTemporaryDir dir;
        client::LocalBackend backend(dir.filePath(QStringLiteral("traces.db")));
        backend.setServerSettings({ false, QStringLiteral("127.0.0.1"), 0 });
        QVERIFY(backend.start());
        auto *store = backend.store();

        // Priced at ingest with the shipped table.
        auto native = llm(2, 3, "gpt-4o", 100, 0, 100);
        native.cost_usd = 0.5; // reported by the producer: kept
        std::vector<core::Span> spans { agent(1), llm(1, 1, "gpt-4o", 10'000, 8'000, 500),
            llm(1, 2, "ft:gpt-4o-mini:acme:support:1", 1'000, 0, 200), agent(2),
            llm(2, 1, "gpt-4o-2024-11-20", 2'000, 0, 1'000, 400), native };
        QCOMPARE(backend.pipeline()->submit(spans).outcome, store::IngestPipeline::Outcome::Committed);
        auto before = store->trace(traceId(1));
        QVERIFY(before);
        QVERIFY(near(before->summary.cost_usd, 0.02)); // 2,000 × 2.50 + 8,000 × 1.25 + 500 × 10 per million
        QCOMPARE(before->summary.unpriced_spans, std::int64_t(1));
        QVERIFY(near(store->trace(traceId(2))->summary.cost_usd, 0.515)); // 0.005 + 0.01 + native 0.5

        PriceEditorDialog dialog(backend, nullptr);
        QVERIFY(!dialog.hasUnsavedChanges());
        QVERIFY(dialog.overrides().empty());
        QString error;
        QVERIFY(dialog.setOverrides({ gpt4oOverride(), finetuneRow() }, &error));
        QVERIFY(dialog.hasUnsavedChanges());
        QVERIFY(dialog.statusText().contains(QStringLiteral("unsaved")));
        QSignalSpy saved(&dialog, &PriceEditorDialog::pricesSaved);
        QVERIFY(dialog.save());
        QCOMPARE(saved.count(), 1);
        QVERIFY(!dialog.hasUnsavedChanges());
        // The file, and the pipeline for new spans.
        PriceOverrides file;
        QVERIFY(file.load());
        QCOMPARE(file.rows().size(), std::size_t(2));
        QCOMPARE(backend.pipeline()->priceTable()->match("gpt-4o")->prices.input, std::optional<double>(5));
        QCOMPARE(backend.pipeline()->submit({ llm(3, 1, "gpt-4o", 1'000'000, 0, 0) }).outcome,
            store::IngestPipeline::Outcome::Committed);
        QVERIFY(near(store->trace(traceId(3))->summary.cost_usd, 5.0));
        // Stored spans keep their cost until re-priced.
        QVERIFY(near(store->trace(traceId(1))->summary.cost_usd, 0.02));

        QSignalSpy repriced(&dialog, &PriceEditorDialog::tracesRepriced);
        dialog.repriceStoredTraces();
        QVERIFY(dialog.isRepricing());
        QVERIFY(repriced.wait(10'000));
        QCOMPARE(repriced.at(0).at(0).toLongLong(), 3); // two gpt-4o calls and the fine-tune
        QCOMPARE(repriced.at(0).at(1).toBool(), false);
        QVERIFY(repriced.at(0).at(2).toString().isEmpty());
        QVERIFY2(dialog.statusText().contains(QStringLiteral("3 span(s) changed")), qPrintable(dialog.statusText()));

        std::map<std::string, double> costs;
        const auto t1 = store->trace(traceId(1));
        const auto t2 = store->trace(traceId(2));
        for (const auto *t : { &*t1, &*t2 })
            for (const auto &s : t->spans)
                if (s.cost_usd)
                    costs[s.name + "/" + std::to_string(s.span_id[7])] = *s.cost_usd;
        // 2,000 × $5 + 8,000 × $0.50 + 500 × $20 per million
        QVERIFY(near(costs.at("chat gpt-4o/1"), 0.024));
        // 1,000 × $1 + 200 × $2 per million
        QVERIFY(near(costs.at("chat ft:gpt-4o-mini:acme:support:1/2"), 0.0014));
        // 2,000 × $5 + 600 × $20 + 400 reasoning × $20 (the output price) per million
        QVERIFY(near(costs.at("chat gpt-4o-2024-11-20/1"), 0.03));
        QVERIFY(near(costs.at("chat gpt-4o/3"), 0.5));
        QVERIFY(near(t1->summary.cost_usd, 0.0254));
        QCOMPARE(t1->summary.unpriced_spans, std::int64_t(0));
        QVERIFY(near(t2->summary.cost_usd, 0.53));
        for (const auto &s : t1->spans)
            if (s.kind == core::SpanKind::Llm)
                QVERIFY(s.price_ref.ends_with("@2026-01-15"));
        // The list and the dashboard read the same summaries.
        store::TraceQuery q;
        const auto page = store->listTraces(q);
        QCOMPARE(page.traces.size(), std::size_t(3));
        double listed = 0;
        for (const auto &t : page.traces)
            listed += t.cost_usd;
        QVERIFY(near(listed, 0.0254 + 0.53 + 5.0));

        // Nothing left to change the second time.
        dialog.repriceStoredTraces();
        QVERIFY(repriced.wait(10'000));
        QCOMPARE(repriced.at(1).at(0).toLongLong(), 0);
        backend.stop();
    }

    void cancelledRepriceIsConsistent()
    {
        QTemporaryDir dir;
        store::SqliteStore db(dir.filePath(QStringLiteral("traces.db")).toStdString());
        // More spans than one reprice batch (2,000), priced with the shipped table.
        constexpr int kTraces = 1250;
        std::vector<core::Span> spans;
        std::vector<core::TraceId> ids;
        for (int t = 0; t < kTraces; ++t) {
            ids.push_back(traceId(t));
            for (int i = 1; i <= 4; ++i) {
                auto s = llm(t, i, "gpt-4o", 1'000, 0, 100);
                core::applyPrice(s, core::shippedPriceTable());
                spans.push_back(std::move(s));
            }
        }
        db.writeBatch(spans);
        const double oldCost = 1'000 * 2.5e-6 + 100 * 10e-6; // 0.0035
        const double newCost = 1'000 * 5e-6 + 100 * 20e-6; // 0.007

        PriceOverrides overrides(QStringLiteral("unused.json"));
        QVERIFY(overrides.setRows({ gpt4oOverride() }));
        const auto table = overrides.effectiveTable();

        // Stopped after the first batch: that batch is committed, summaries agree with the spans.
        int calls = 0;
        const auto changed = ui::Repricer::run(db, table, [&](std::size_t done, std::size_t total) {
            ++calls;
            return done < total / 2 && calls < 1;
        });
        QCOMPARE(calls, 1);
        QVERIFY(changed > 0);
        QVERIFY(changed < spans.size());
        std::size_t atNew = 0, atOld = 0;
        for (const auto &id : ids) {
            // Keep the trace alive: a range-for over a member of a temporary would dangle.
            const auto detail = db.trace(id);
            for (const auto &s : detail->spans) {
                atNew += near(*s.cost_usd, newCost);
                atOld += near(*s.cost_usd, oldCost);
            }
        }
        QCOMPARE(atNew, changed);
        QCOMPARE(atNew + atOld, spans.size());
        checkSummariesMatchSpans(db, ids);
        if (QTest::currentTestFailed())
            return;

        // The asynchronous runner, stopped as soon as it starts: consistent, whatever it got to.
        ui::Repricer repricer;
        QSignalSpy finished(&repricer, &ui::Repricer::finished);
        repricer.start(db, table);
        repricer.cancel();
        QVERIFY(finished.wait(10'000));
        QVERIFY(finished.at(0).at(2).toString().isEmpty());
        checkSummariesMatchSpans(db, ids);
        if (QTest::currentTestFailed())
            return;

        // Run to the end: every span at the new price, every trace four of them.
        repricer.start(db, table);
        QVERIFY(finished.wait(10'000));
        QCOMPARE(finished.at(1).at(1).toBool(), false);
        for (const auto &id : ids)
            QVERIFY(near(db.trace(id)->summary.cost_usd, 4 * newCost));
    }

    void cancelFromTheProgressDialog()
    {
        QTemporaryDir dir;
        client::LocalBackend backend(dir.filePath(QStringLiteral("traces.db")));
        backend.setServerSettings({ false, QStringLiteral("127.0.0.1"), 0 });
        QVERIFY(backend.start());
        std::vector<core::Span> spans;
        std::vector<core::TraceId> ids;
        for (int t = 0; t < 1500; ++t) {
            ids.push_back(traceId(t));
            for (int i = 1; i <= 4; ++i)
                spans.push_back(llm(t, i, "gpt-4o", 1'000, 0, 100));
        }
        QCOMPARE(backend.pipeline()->submit(spans).outcome, store::IngestPipeline::Outcome::Committed);

        PriceEditorDialog dialog(backend, nullptr);
        QVERIFY(dialog.setOverrides({ gpt4oOverride() }));
        QVERIFY(dialog.save());
        QSignalSpy repriced(&dialog, &PriceEditorDialog::tracesRepriced);
        dialog.repriceStoredTraces();
        auto *progress = dialog.findChild<QProgressDialog *>();
        QVERIFY(progress);
        progress->cancel(); // what the Stop button does
        QVERIFY(repriced.wait(10'000));
        QVERIFY(repriced.at(0).at(0).toLongLong() <= 6000);
        checkSummariesMatchSpans(*backend.store(), ids);
        if (repriced.at(0).at(1).toBool())
            QVERIFY2(dialog.statusText().contains(QStringLiteral("stopped")), qPrintable(dialog.statusText()));
        backend.stop();
    }

    void screenshots()
    {
        QTemporaryDir dir;
        client::LocalBackend backend(dir.filePath(QStringLiteral("traces.db")));
        backend.setServerSettings({ false, QStringLiteral("127.0.0.1"), 0 });
        QVERIFY(backend.start());
        {
            PriceEditorDialog dialog(backend, nullptr);
            QVERIFY(dialog.setOverrides({ gpt4oOverride() }));
            QVERIFY(dialog.save());
            dialog.resize(1100, 700);
            dialog.show();
            QVERIFY(QTest::qWaitForWindowExposed(&dialog));
            dialog.tester()->setModelName(QStringLiteral("gpt-4o-2024-11-20"));
            QTest::qWait(50);
            const QString path = screenshotDir() + QStringLiteral("/price-editor.png");
            QVERIFY(dialog.grab().save(path));
            qInfo("wrote %s", qPrintable(path));
        }
        {
            PriceRowDialog form(QStringLiteral("Override shipped row “claude-sonnet-4-5”"));
            form.setContext({}, &core::shippedPriceTable());
            auto sonnet = core::shippedPriceTable()
                              .rows()[static_cast<std::size_t>(std::distance(core::shippedPriceTable().rows().begin(),
                                  std::ranges::find(core::shippedPriceTable().rows(), std::string("claude-sonnet-4-5"),
                                      &core::PriceRow::id)))];
            form.setRow(sonnet);
            form.setIdLocked(true);
            form.findChild<QLineEdit *>(QStringLiteral("prices.cache_read"))->setText(QStringLiteral("-0.30"));
            form.show();
            QVERIFY(QTest::qWaitForWindowExposed(&form));
            QVERIFY(!form.validate());
            QTest::qWait(50);
            const QString path = screenshotDir() + QStringLiteral("/price-row-form.png");
            QVERIFY(form.grab().save(path));
        }
        backend.stop();
    }
};

QTEST_MAIN(TestPricingUi)
#include "tst_pricingui.moc"
