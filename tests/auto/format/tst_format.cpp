// SPDX-License-Identifier: MIT
#include "common/format.h"

#include <QTest>

using namespace agentops::ui;

class TestFormat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
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
        QTest::newRow("partly priced, large") << 1234.5 << qint64(9) << qint64(4) << QStringLiteral("$1,234.50+")
                                              << true;
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

QTEST_GUILESS_MAIN(TestFormat)
#include "tst_format.moc"
