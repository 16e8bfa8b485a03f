// SPDX-License-Identifier: MIT
// (No raw string literals here: moc skips files whose raw strings hold escaped quotes.)
#include "core/spanjson.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <random>

using namespace agentops;
using core::AttrValue;

class TestSpanJson : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void jsonStringsOfEveryShape()
    {
        // Strings pieced together at random from what a JSON string must escape, what it must carry
        // as it is, and bytes that are not UTF-8, at every offset from the eight-byte chunks the
        // encoder scans in. Each comes out as one JSON string that reads back as the input, with
        // U+FFFD for each byte that is not UTF-8, and with no raw control character in it.
        const std::vector<std::pair<std::string, std::string>> pieces { // {input, read back as}
            { "a", "a" }, { "plain words ", "plain words " }, { "\"", "\"" }, { "\\", "\\" }, { "\n", "\n" },
            { "\r", "\r" }, { "\t", "\t" }, { "\b", "\b" }, { "\f", "\f" },
            { std::string(1, '\0'), std::string(1, '\0') }, { "\x01", "\x01" }, { "\x1f", "\x1f" }, { "\x7f", "\x7f" },
            { " ", " " }, { "~", "~" }, { "\xC3\xBC", "\xC3\xBC" }, { "\xE2\x9C\x88", "\xE2\x9C\x88" },
            { "\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80" }, { "\xFF", "\xEF\xBF\xBD" }, { "\x80", "\xEF\xBF\xBD" },
            { "0123456789abcdef", "0123456789abcdef" }
        };
        std::mt19937 rng(7);
        for (int round = 0; round < 20000; ++round) {
            std::string in;
            std::string expected;
            const int count = int(rng() % 12);
            for (int k = 0; k < count; ++k) {
                const auto &[piece, back] = pieces[rng() % pieces.size()];
                in += piece;
                expected += back;
            }
            std::string out = "x";
            core::appendJsonString(out, in);
            QCOMPARE(out.front(), 'x');
            for (const char c : out)
                QVERIFY2(static_cast<unsigned char>(c) >= 0x20, out.c_str());
            const auto parsed = nlohmann::json::parse(out.substr(1));
            QVERIFY(parsed.is_string());
            QCOMPARE(parsed.get<std::string>(), expected);
        }
    }

    void attributesRoundTrip()
    {
        const core::Attributes attrs {
            { "s", AttrValue::ofString("plain") },
            { "esc", AttrValue::ofString("quote \" backslash \\ newline \n tab \t ctrl \x01 end") },
            { "utf8", AttrValue::ofString("Z\xC3\xBCrich \xE2\x9C\x88 \xF0\x9F\x98\x80") },
            { "i", AttrValue::ofInt(-9007199254740993) },
            { "d", AttrValue::ofDouble(0.25) },
            { "e", AttrValue::ofDouble(1.5e-7) },
            { "t", AttrValue::ofBool(true) },
            { "f", AttrValue::ofBool(false) },
            { "arr", AttrValue::ofJson("[\"a\",\"b]\\\"\",{\"k\":[1,2]}]") },
            { "obj", AttrValue::ofJson("{\"nested\":{\"x\":\"}\"}}") },
            { "empty", AttrValue::ofString("") },
            { "dup", AttrValue::ofInt(1) },
            { "dup", AttrValue::ofInt(2) },
        };
        const std::string json = core::attributesToJson(attrs);
        core::Attributes back;
        QVERIFY(core::attributesFromJson(json, back));
        QCOMPARE(back.size(), attrs.size());
        for (std::size_t i = 0; i < attrs.size(); ++i) {
            QCOMPARE(back[i].key, attrs[i].key);
            QCOMPARE(back[i].value.asText(), attrs[i].value.asText());
            QVERIFY2(back[i].value.type == attrs[i].value.type, attrs[i].key.c_str());
        }
    }

    void readsJsonItDidNotWrite_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("type");
        QTest::newRow("spaces") << QStringLiteral(" { \"a\" : 1 , \"b\" : \"x\" } ") << QStringLiteral("b")
                                << QStringLiteral("x") << int(AttrValue::Type::String);
        QTest::newRow("unicode escape") << QStringLiteral("{\"a\":\"caf\\u00e9\"}") << QStringLiteral("a")
                                        << QStringLiteral("caf\u00e9") << int(AttrValue::Type::String);
        QTest::newRow("surrogate pair") << QStringLiteral("{\"a\":\"\\ud83d\\ude00!\"}") << QStringLiteral("a")
                                        << QStringLiteral("\U0001F600!") << int(AttrValue::Type::String);
        QTest::newRow("null") << QStringLiteral("{\"a\":null}") << QStringLiteral("a") << QString()
                              << int(AttrValue::Type::Empty);
    }

    void readsJsonItDidNotWrite()
    {
        QFETCH(QString, json);
        QFETCH(QString, key);
        QFETCH(QString, text);
        QFETCH(int, type);
        core::Attributes out;
        QVERIFY(core::attributesFromJson(json.toStdString(), out));
        const auto *v = core::findAttribute(out, key.toStdString());
        QVERIFY(v);
        QCOMPARE(QString::fromStdString(v->asText()), text);
        QCOMPARE(int(v->type), type);
    }

    void refusesWhatIsNotAnObject_data()
    {
        QTest::addColumn<QString>("json");
        QTest::newRow("array") << QStringLiteral("[1,2]");
        QTest::newRow("truncated") << QStringLiteral("{\"a\":\"b");
        QTest::newRow("trailing") << QStringLiteral("{\"a\":1} x");
        QTest::newRow("bare word") << QStringLiteral("{\"a\":nope}");
        QTest::newRow("lone low surrogate") << QStringLiteral("{\"a\":\"\\udc00\"}");
    }

    void refusesWhatIsNotAnObject()
    {
        QFETCH(QString, json);
        core::Attributes out;
        std::string error;
        QVERIFY(!core::attributesFromJson(json.toStdString(), out, &error));
        QVERIFY(!error.empty());
    }
};

QTEST_GUILESS_MAIN(TestSpanJson)
#include "tst_spanjson.moc"
