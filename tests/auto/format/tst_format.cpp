// SPDX-License-Identifier: MIT
#include "common/durationstep.h"
#include "common/format.h"
#include "common/timerange.h"

#include <QSignalSpy>
#include <QTest>

#include <limits>

using namespace agentops::ui;

namespace {
constexpr qint64 kUs = 1'000;
constexpr qint64 kMs = 1'000'000;
constexpr qint64 kS = 1'000'000'000;
constexpr qint64 kMin = 60 * kS;
constexpr qint64 kH = 60 * kMin;
} // namespace

class TestFormat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void duration_data();
    void duration();
    void durationReadsBack_data();
    void durationReadsBack();
    void durationTick_data();
    void durationTick();
    void parseDuration_data();
    void parseDuration();
    void niceDurationStep_data();
    void niceDurationStep();
    void timeRange();
    void timeRangeModelSignalsChanges();

    // Money and cost totals: one wording on every page.
    void money_data()
    {
        QTest::addColumn<double>("usd");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << 0.0 << QStringLiteral("$0.00");
        // A priced call of a few tokens keeps two significant digits: never "$0.0000".
        QTest::newRow("102 tokens at $0.10/M") << 0.0000102 << QStringLiteral("$0.000010");
        QTest::newRow("tiny, eight decimals at most") << 0.000000042 << QStringLiteral("$0.00000004");
        QTest::newRow("below the smallest digit") << 1e-12 << QStringLiteral("$0.00000000");
        QTest::newRow("fraction of a cent") << 0.0042 << QStringLiteral("$0.0042");
        QTest::newRow("a cent less a rounding error") << 0.01 - 1e-15 << QStringLiteral("$0.010");
        QTest::newRow("cents") << 0.153 << QStringLiteral("$0.153");
        QTest::newRow("dollars") << 12.4 << QStringLiteral("$12.40");
        QTest::newRow("thousands") << 1234.56 << QStringLiteral("$1,234.56");
    }
    void money()
    {
        QFETCH(double, usd);
        QFETCH(QString, text);
        QCOMPARE(format::money(usd), text);
    }

    void cost_data()
    {
        QTest::addColumn<double>("usd");
        QTest::addColumn<qint64>("priced");
        QTest::addColumn<qint64>("unpriced");
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("note");
        QTest::newRow("nothing used tokens") << 0.0 << qint64(0) << qint64(0) << QStringLiteral("—") << false;
        QTest::newRow("no model priced") << 0.0 << qint64(0) << qint64(3) << QStringLiteral("no price") << true;
        QTest::newRow("all priced") << 0.0003 << qint64(2) << qint64(0) << QStringLiteral("$0.00030") << false;
        QTest::newRow("priced at $0") << 0.0 << qint64(1) << qint64(0) << QStringLiteral("$0.00") << false;
        QTest::newRow("partly priced") << 0.0003 << qint64(1) << qint64(1) << QStringLiteral("$0.00030+") << true;
        QTest::newRow("partly priced, large")
            << 1234.5 << qint64(9) << qint64(4) << QStringLiteral("$1,234.50+") << true;
    }
    void cost()
    {
        QFETCH(double, usd);
        QFETCH(qint64, priced);
        QFETCH(qint64, unpriced);
        QFETCH(QString, text);
        QFETCH(bool, note);
        QCOMPARE(format::cost(usd, priced, unpriced), text);
        QCOMPARE(!format::costNote(priced, unpriced).isEmpty(), note);
    }
};

void TestFormat::duration_data()
{
    QTest::addColumn<qint64>("ns");
    QTest::addColumn<QString>("text");
    const auto row
        = [](const char *name, qint64 ns, const char *text) { QTest::newRow(name) << ns << QString::fromUtf8(text); };
    row("zero", 0, "0 ns");
    row("850 ns", 850, "850 ns");
    row("999 ns", 999, "999 ns");
    row("1 µs", kUs, "1 µs");
    row("12.3 µs", 12'345, "12.3 µs");
    row("999 µs", 999'499, "999 µs");
    row("rounds up to 1 ms", 999'600, "1 ms");
    row("1.23 ms", 1'234'567, "1.23 ms");
    row("rounds up to 10 ms", 9'996'000, "10 ms");
    row("no zeros at the end", 29 * kMs, "29 ms");
    row("one zero inside", 9'204 * kMs, "9.2 s");
    row("456 ms", 456 * kMs, "456 ms");
    row("rounds up to 1 s", 999'999'999, "1 s");
    row("1.23 s", 1'234 * kMs, "1.23 s");
    row("12.3 s", 12'345 * kMs, "12.3 s");
    row("59.9 s", 59'940 * kMs, "59.9 s");
    row("rounds up to a minute", 59'960 * kMs, "1m 00s");
    row("2m 05s", 125 * kS, "2m 05s");
    row("59m 59s", 3'599'400 * kMs, "59m 59s");
    row("rounds up to an hour", 3'599'600 * kMs, "1h 00m");
    row("1h 02m", 62 * kMin, "1h 02m");
    row("a clock's minutes", 62 * kMin + 59 * kS, "1h 02m");
    // The figure of the waterfall's Duration column, the trace list, the span details and the
    // dashboard's latency axis, which each used to spell it their own way.
    row("25-hour trace", 25 * kH + 15 * kMin + 36 * kS, "25h 15m");
    row("50000 s", 50'000 * kS, "13h 53m");
    row("100 days", 2'400 * kH, "2400h 00m");
    row("negative (clock skew)", -1'500 * kMs, "\u22121.5 s");
    row("most negative", std::numeric_limits<qint64>::min(), "\u22122562047h 47m");
    row("largest", std::numeric_limits<qint64>::max(), "2562047h 47m");
}

void TestFormat::duration()
{
    QFETCH(qint64, ns);
    QFETCH(QString, text);
    QCOMPARE(format::duration(ns), text);
}

void TestFormat::durationReadsBack_data()
{
    duration_data();
}

void TestFormat::durationReadsBack()
{
    // What is written can be typed back (the minimum-duration filter), to the precision shown.
    QFETCH(qint64, ns);
    QFETCH(QString, text);
    if (ns < 0)
        return; // durations typed in are never negative
    const auto back = format::parseDuration(text);
    QVERIFY2(back.has_value(), qPrintable(text));
    QCOMPARE(format::duration(*back), text);
}

void TestFormat::durationTick_data()
{
    QTest::addColumn<qint64>("ns");
    QTest::addColumn<qint64>("step");
    QTest::addColumn<QString>("text");
    const auto row = [](const char *name, qint64 ns, qint64 step, const char *text) {
        QTest::newRow(name) << ns << step << QString::fromUtf8(text);
    };
    row("origin", 0, kS, "0");
    row("100 ns", 100, 100, "100 ns");
    row("5 µs", 5 * kUs, 5 * kUs, "5 µs");
    row("500 ms", 500 * kMs, 500 * kMs, "500 ms");
    row("1 s of 500 ms", kS, 500 * kMs, "1 s");
    row("1.5 s", 1'500 * kMs, 500 * kMs, "1.5 s");
    row("whole minutes", 2 * kMin, kMin, "2m");
    row("minutes and seconds", 150 * kS, 30 * kS, "2m 30s");
    row("one digit of seconds", 65 * kS, 5 * kS, "1m 05s");
    row("fractions of seconds", 61'500 * kMs, 500 * kMs, "1m 01.5s");
    row("an hour", kH, 30 * kMin, "1h");
    row("hours and minutes", 90 * kMin, 30 * kMin, "1h 30m");
    row("hours, no minutes, seconds", kH + 30 * kS, 30 * kS, "1h 00m 30s");
    row("a day and more", 25 * kH, kH, "25h");
}

void TestFormat::durationTick()
{
    QFETCH(qint64, ns);
    QFETCH(qint64, step);
    QFETCH(QString, text);
    QCOMPARE(format::durationTick(ns, step), text);
}

void TestFormat::parseDuration_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("ns"); // -1: not a duration
    const auto row = [](const char *text, qint64 ns) { QTest::newRow(text) << QString::fromUtf8(text) << ns; };
    row("90", 90 * kS);
    row("1.5", 1'500 * kMs);
    row("500 ms", 500 * kMs);
    row("500ms", 500 * kMs);
    row("12.5 us", 12'500);
    row("12.5 µs", 12'500);
    row("850 ns", 850);
    row("2m 05s", 125 * kS);
    row("2 min", 2 * kMin);
    row("1h 30m", 90 * kMin);
    row("1.5h", 90 * kMin);
    row("1 d", 24 * kH);
    row("  3 S ", 3 * kS);
    row("", -1);
    row("fast", -1);
    row("2 30", -1);
    row("5 parsecs", -1);
    row("-5 s", -1);
}

void TestFormat::parseDuration()
{
    QFETCH(QString, text);
    QFETCH(qint64, ns);
    const auto parsed = format::parseDuration(text);
    if (ns < 0)
        QVERIFY2(!parsed, qPrintable(QString::number(parsed.value_or(0))));
    else
        QCOMPARE(parsed.value_or(-1), ns);
}

void TestFormat::niceDurationStep_data()
{
    QTest::addColumn<double>("raw");
    QTest::addColumn<qint64>("step");
    QTest::newRow("1 ns") << 0.2 << qint64(1);
    QTest::newRow("90 ns") << 90.0 << qint64(100);
    QTest::newRow("0.9 s") << 0.9e9 << kS;
    QTest::newRow("3 s") << 3e9 << 5 * kS;
    QTest::newRow("12 s") << 12e9 << 15 * kS;
    QTest::newRow("50 s") << 50e9 << kMin;
    QTest::newRow("4 min") << 240e9 << 5 * kMin;
    QTest::newRow("40 min") << 2'400e9 << kH;
    QTest::newRow("2.25 h") << 8'100e9 << 3 * kH;
    QTest::newRow("7 h") << 25'200e9 << 12 * kH;
    QTest::newRow("13 h") << 46'800e9 << 24 * kH;
    QTest::newRow("3 days") << 3 * 86'400e9 << qint64 { 5 } * 24 * kH;
    QTest::newRow("beyond int64") << 1e30 << qint64(10'000) * 24 * kH; // the largest step, no overflow
}

void TestFormat::niceDurationStep()
{
    QFETCH(double, raw);
    QFETCH(qint64, step);
    QCOMPARE(agentops::ui::niceDurationStep(raw), step);
}

void TestFormat::timeRange()
{
    const QDateTime now = QDateTime::fromSecsSinceEpoch(1'765'000'000);
    const qint64 nowNs = format::toNs(now);
    const TimeRange all;
    QCOMPARE(all.preset, TimeRange::Preset::All);
    QVERIFY(!all.fromNs(now) && !all.toNs());
    QVERIFY(all.contains(0, now));
    QCOMPARE(all.label(), QStringLiteral("All time"));

    const auto day = TimeRange::last(TimeRange::Preset::Last24Hours);
    QCOMPARE(day.fromNs(now).value_or(0), nowNs - 24 * kH);
    QVERIFY(!day.toNs()); // what arrives later is in it too
    QVERIFY(day.contains(nowNs - kH, now));
    QVERIFY(!day.contains(nowNs - 25 * kH, now));
    QCOMPARE(day.label(), QStringLiteral("Last 24 hours"));

    const auto custom = TimeRange::custom(now.addSecs(-3600), now);
    QCOMPARE(custom.fromNs(now).value_or(0), nowNs - kH);
    QCOMPARE(custom.toNs().value_or(0), nowNs);
    QVERIFY(custom.contains(nowNs - kS, now));
    QVERIFY(!custom.contains(nowNs, now)); // the end is not in it
    QVERIFY(custom == TimeRange::custom(now.addSecs(-3600), now));
    QVERIFY(!(custom == TimeRange::custom(now.addSecs(-60), now)));
    QVERIFY(TimeRange::last(TimeRange::Preset::LastHour) == TimeRange::last(TimeRange::Preset::LastHour));

    for (const auto preset : TimeRange::Presets)
        QVERIFY(!TimeRange::name(preset).isEmpty());
    QCOMPARE(TimeRange::spanOf(TimeRange::Preset::Last7Days), qint64 { 7 } * 24 * kH);
    QCOMPARE(TimeRange::spanOf(TimeRange::Preset::All), qint64(0));
}

void TestFormat::timeRangeModelSignalsChanges()
{
    TimeRangeModel model;
    QSignalSpy spy(&model, &TimeRangeModel::rangeChanged);
    model.setRange(TimeRange {}); // already all time
    QCOMPARE(spy.count(), 0);
    model.setRange(TimeRange::last(TimeRange::Preset::LastHour));
    model.setRange(TimeRange::last(TimeRange::Preset::LastHour));
    QCOMPARE(spy.count(), 1);
    QCOMPARE(model.range().preset, TimeRange::Preset::LastHour);
}

QTEST_GUILESS_MAIN(TestFormat)
#include "tst_format.moc"
