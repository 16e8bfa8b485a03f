// SPDX-License-Identifier: MIT
// (No raw string literals here: moc skips files whose raw strings hold escaped quotes.)
#include "core/spanjson.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <limits>
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

    void readsEveryValueTheFlatReaderMeets_data()
    {
        // Texts the store's fast reader must read as a JSON parser would, and numbers out of int64
        // range, which it leaves to the general parser: the value read back is the same either way.
        QTest::addColumn<QString>("json");
        QTest::addColumn<int>("type");
        QTest::addColumn<QString>("text");
        QTest::newRow("escapes") << QStringLiteral("{\"a\":\"x\\/y\\by\\fz\\r\"}") << int(AttrValue::Type::String)
                                 << QStringLiteral("x/y\by\fz\r");
        QTest::newRow("upper-case hex") << QStringLiteral("{\"a\":\"\\u00E9\\u20AC\\uD83D\\uDE00\"}")
                                        << int(AttrValue::Type::String) << QStringLiteral("\u00e9\u20ac\U0001F600");
        QTest::newRow("nested, brackets in strings")
            << QStringLiteral("{\"a\":[1,\"]\",{\"b\":\"\\\"}\"}]}") << int(AttrValue::Type::Json)
            << QStringLiteral("[1,\"]\",{\"b\":\"\\\"}\"}]");
        QTest::newRow("object") << QStringLiteral("{\"a\":{}}") << int(AttrValue::Type::Json) << QStringLiteral("{}");
        QTest::newRow("false") << QStringLiteral("{\"a\":false}") << int(AttrValue::Type::Bool)
                               << QStringLiteral("false");
        QTest::newRow("int64 max") << QStringLiteral("{\"a\":9223372036854775807}") << int(AttrValue::Type::Int)
                                   << QStringLiteral("9223372036854775807");
        QTest::newRow("int64 min") << QStringLiteral("{\"a\":-9223372036854775808}") << int(AttrValue::Type::Int)
                                   << QStringLiteral("-9223372036854775808");
        QTest::newRow("above int64") << QStringLiteral("{\"a\":9223372036854775808}") << int(AttrValue::Type::Double)
                                     << QStringLiteral("9223372036854775808");
        QTest::newRow("below int64") << QStringLiteral("{\"a\":-9223372036854775809}") << int(AttrValue::Type::Double)
                                     << QStringLiteral("-9223372036854775808");
        QTest::newRow("exponent") << QStringLiteral("{\"a\":1E3}") << int(AttrValue::Type::Double)
                                  << QStringLiteral("1000");
        QTest::newRow("negative fraction")
            << QStringLiteral("{\"a\":-0.5e-1}") << int(AttrValue::Type::Double) << QStringLiteral("-0.05");
        QTest::newRow("whitespace everywhere")
            << QStringLiteral("\n\t{\r\n \"a\"\t:\n\"v\"\r}\n ") << int(AttrValue::Type::String) << QStringLiteral("v");
    }

    void readsEveryValueTheFlatReaderMeets()
    {
        QFETCH(QString, json);
        QFETCH(int, type);
        QFETCH(QString, text);
        core::Attributes out;
        std::string error;
        QVERIFY2(core::attributesFromJson(json.toStdString(), out, &error), error.c_str());
        QCOMPARE(out.size(), std::size_t(1));
        QCOMPARE(out[0].key, std::string("a"));
        QCOMPARE(int(out[0].value.type), type);
        QCOMPARE(QString::fromStdString(out[0].value.asText()), text);
    }

    void emptyTextAndEmptyObjects()
    {
        // An empty column is no attributes, as is an empty object however it is spaced; what was in
        // the output before is gone.
        for (const char *json : { "", "{}", "  {  }  ", "{\n}" }) {
            core::Attributes out { { "stale", AttrValue::ofInt(1) } };
            QVERIFY2(core::attributesFromJson(json, out), json);
            QVERIFY2(out.empty(), json);
        }
        core::Attributes out;
        QVERIFY(!core::attributesFromJson("{} {}", out));
    }

    void refusesBrokenAttributes_data()
    {
        // Each is refused by the fast reader and by the general parser alike.
        QTest::addColumn<QString>("json");
        QTest::newRow("no colon") << QStringLiteral("{\"a\" 1}");
        QTest::newRow("no comma") << QStringLiteral("{\"a\":1 \"b\":2}");
        QTest::newRow("trailing comma") << QStringLiteral("{\"a\":1,}");
        QTest::newRow("key without value") << QStringLiteral("{\"a\":1,\"b\"}");
        QTest::newRow("unquoted key") << QStringLiteral("{a:1}");
        QTest::newRow("value missing at end") << QStringLiteral("{\"a\":");
        QTest::newRow("not closed") << QStringLiteral("{\"a\":1");
        QTest::newRow("unknown escape") << QStringLiteral("{\"a\":\"\\x\"}");
        QTest::newRow("backslash at end") << QStringLiteral("{\"a\":\"x\\");
        QTest::newRow("short unicode escape") << QStringLiteral("{\"a\":\"\\u12\"}");
        QTest::newRow("bad hex digit") << QStringLiteral("{\"a\":\"\\u12G4\"}");
        QTest::newRow("high surrogate alone") << QStringLiteral("{\"a\":\"\\ud83d\"}");
        QTest::newRow("high surrogate, then no low") << QStringLiteral("{\"a\":\"\\ud83d\\u0041\"}");
        QTest::newRow("high surrogate, bad low hex") << QStringLiteral("{\"a\":\"\\ud83d\\uzzzz\"}");
        QTest::newRow("unterminated string in array") << QStringLiteral("{\"a\":[\"x]}");
        QTest::newRow("unbalanced nesting") << QStringLiteral("{\"a\":[1,2}");
        QTest::newRow("array never closed") << QStringLiteral("{\"a\":[1,[2]");
        QTest::newRow("lone minus") << QStringLiteral("{\"a\":-}");
        QTest::newRow("two points") << QStringLiteral("{\"a\":1.2.3}");
        QTest::newRow("two minus signs") << QStringLiteral("{\"a\":--1}");
        QTest::newRow("truncated true") << QStringLiteral("{\"a\":tru}");
        QTest::newRow("blank") << QStringLiteral(" ");
    }

    void refusesBrokenAttributes()
    {
        QFETCH(QString, json);
        core::Attributes out;
        std::string error;
        QVERIFY(!core::attributesFromJson(json.toStdString(), out, &error));
        QCOMPARE(error, std::string("attributes: must be a JSON object"));
        QVERIFY(out.empty());
    }

    void eventsAndLinksRoundTrip()
    {
        const std::vector<core::SpanEvent> events {
            { 1764092936123456789, "exception", { { "exception.type", AttrValue::ofString("ValueError") } } },
            { -5, "", {} },
        };
        std::string json;
        core::appendEventsJson(json, events);
        std::vector<core::SpanEvent> eventsBack;
        QVERIFY(core::eventsFromJson(json, eventsBack));
        QVERIFY(eventsBack == events);

        core::SpanLink link;
        QVERIFY(core::fromHex(std::string_view("0af7651916cd43dd8448eb211c80319c"), link.trace_id));
        QVERIFY(core::fromHex(std::string_view("b7ad6b7169203331"), link.span_id));
        link.trace_state = "vendor=1";
        link.attributes = { { "n", AttrValue::ofInt(3) } };
        const std::vector<core::SpanLink> links { link, core::SpanLink {} };
        json.clear();
        core::appendLinksJson(json, links);
        std::vector<core::SpanLink> linksBack;
        QVERIFY(core::linksFromJson(json, linksBack));
        QVERIFY(linksBack == links);
    }

    void eventsAndLinksAsOtherWritersSpellThem()
    {
        // Times as a decimal string (as OTLP/JSON sends 64-bit integers) or as a number; anything else
        // reads as 0. Elements that are not objects are skipped, a name that is not a string is
        // empty, and attributes that are not an object are none.
        std::vector<core::SpanEvent> events { core::SpanEvent {} };
        QVERIFY(core::eventsFromJson("[1,{\"time_unix_nano\":\"1700000000000000001\",\"name\":\"a\","
                                     "\"attributes\":{\"k\":true}},null,{\"time_unix_nano\":42,\"name\":7,"
                                     "\"attributes\":[1]},{\"time_unix_nano\":1.5}]",
            events));
        QCOMPARE(events.size(), std::size_t(3));
        QCOMPARE(events[0].time_ns, std::int64_t(1700000000000000001));
        QCOMPARE(events[0].name, std::string("a"));
        QCOMPARE(events[0].attributes.size(), std::size_t(1));
        QCOMPARE(events[0].attributes[0].value.asText(), std::string("true"));
        QCOMPARE(events[1].time_ns, std::int64_t(42));
        QCOMPARE(events[1].name, std::string());
        QVERIFY(events[1].attributes.empty());
        QCOMPARE(events[2].time_ns, std::int64_t(0));

        QVERIFY(core::eventsFromJson("", events));
        QVERIFY(events.empty());
        std::string error;
        QVERIFY(!core::eventsFromJson("{\"name\":\"a\"}", events, &error));
        QCOMPARE(error, std::string("events: must be a JSON array"));

        // A link whose ids are not hex of the right length keeps zero ids, not a misread prefix.
        std::vector<core::SpanLink> links;
        QVERIFY(core::linksFromJson("[{\"trace_id\":\"0af7\",\"span_id\":\"zz\",\"trace_state\":\"k=v\"}]", links));
        QCOMPARE(links.size(), std::size_t(1));
        QVERIFY(core::isZero(links[0].trace_id));
        QVERIFY(core::isZero(links[0].span_id));
        QCOMPARE(links[0].trace_state, std::string("k=v"));
        QVERIFY(!core::linksFromJson("[1,", links, &error));
        QCOMPARE(error, std::string("links: must be a JSON array"));
        QVERIFY(!core::linksFromJson("[1,", links));
    }

    void numbersJsonHasNoSpellingFor()
    {
        std::string out;
        core::appendJsonDouble(out, std::numeric_limits<double>::quiet_NaN());
        out += ',';
        core::appendJsonDouble(out, std::numeric_limits<double>::infinity());
        out += ',';
        core::appendJsonDouble(out, -std::numeric_limits<double>::infinity());
        out += ',';
        core::appendJsonDouble(out, 0.1);
        QCOMPARE(out, std::string("\"NaN\",\"Infinity\",\"-Infinity\",0.1"));
    }

    void rfc3339Times_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("ns");
        QTest::newRow("epoch") << QStringLiteral("1970-01-01T00:00:00Z") << qint64(0);
        QTest::newRow("nanoseconds") << QStringLiteral("2026-11-25T17:48:56.123456789Z") << qint64(1795628936123456789);
        QTest::newRow("digits past nanoseconds dropped")
            << QStringLiteral("2026-11-25T17:48:56.1234567891234z") << qint64(1795628936123456789);
        QTest::newRow("millis") << QStringLiteral("2026-11-25t17:48:56.5Z") << qint64(1795628936500000000);
        QTest::newRow("space and offset") << QStringLiteral("2026-11-25 19:48:56+02:00") << qint64(1795628936000000000);
        QTest::newRow("negative offset") << QStringLiteral("2026-11-25T12:18:56-05:30") << qint64(1795628936000000000);
        QTest::newRow("before the epoch") << QStringLiteral("1969-12-31T23:59:59.25Z") << qint64(-750000000);
        QTest::newRow("leap day") << QStringLiteral("2024-02-29T00:00:00Z") << qint64(1709164800000000000);
        QTest::newRow("leap second") << QStringLiteral("2016-12-31T23:59:60Z") << qint64(1483228800000000000);
    }

    void rfc3339Times()
    {
        QFETCH(QString, text);
        QFETCH(qint64, ns);
        std::int64_t parsed = 1;
        QVERIFY(core::parseRfc3339Nanos(text.toStdString(), parsed));
        QCOMPARE(qint64(parsed), ns);
        // What is written reads back as the same instant.
        std::int64_t again = 1;
        QVERIFY(core::parseRfc3339Nanos(core::formatRfc3339Nanos(parsed), again));
        QCOMPARE(again, parsed);
    }

    void refusesWhatIsNotAnRfc3339Time_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << QString();
        QTest::newRow("date only") << QStringLiteral("2026-11-25");
        QTest::newRow("no zone") << QStringLiteral("2026-11-25T17:48:56");
        QTest::newRow("letters in the year") << QStringLiteral("2O26-11-25T17:48:56Z");
        QTest::newRow("slashes") << QStringLiteral("2026/11/25T17:48:56Z");
        QTest::newRow("no T") << QStringLiteral("2026-11-25X17:48:56Z");
        QTest::newRow("dots in the time") << QStringLiteral("2026-11-25T17.48.56Z");
        QTest::newRow("month 13") << QStringLiteral("2026-13-25T17:48:56Z");
        QTest::newRow("month 0") << QStringLiteral("2026-00-25T17:48:56Z");
        QTest::newRow("day 32") << QStringLiteral("2026-11-32T17:48:56Z");
        QTest::newRow("day 0") << QStringLiteral("2026-11-00T17:48:56Z");
        QTest::newRow("hour 24") << QStringLiteral("2026-11-25T24:48:56Z");
        QTest::newRow("minute 60") << QStringLiteral("2026-11-25T17:60:56Z");
        QTest::newRow("second 61") << QStringLiteral("2026-11-25T17:48:61Z");
        QTest::newRow("point without digits") << QStringLiteral("2026-11-25T17:48:56.Z");
        QTest::newRow("offset without colon") << QStringLiteral("2026-11-25T17:48:56+0200");
        QTest::newRow("offset cut short") << QStringLiteral("2026-11-25T17:48:56+02:0");
        QTest::newRow("offset hour cut short") << QStringLiteral("2026-11-25T17:48:56+2");
        QTest::newRow("trailing text") << QStringLiteral("2026-11-25T17:48:56Zjunk");
        QTest::newRow("unknown zone") << QStringLiteral("2026-11-25T17:48:56 UTC");
        QTest::newRow("beyond the range") << QStringLiteral("9999-12-31T23:59:59Z");
    }

    void refusesWhatIsNotAnRfc3339Time()
    {
        QFETCH(QString, text);
        std::int64_t ns = 7;
        QVERIFY(!core::parseRfc3339Nanos(text.toStdString(), ns));
        QCOMPARE(ns, std::int64_t(7));
    }

    void nestingIsCountedOutsideStringsOnly()
    {
        QVERIFY(!core::jsonNestingExceeds("[[[]]]", 3));
        QVERIFY(core::jsonNestingExceeds("[[[[]]]]", 3));
        QVERIFY(core::jsonNestingExceeds("{\"a\":{\"b\":{\"c\":[1]}}}", 3));
        // Brackets in strings, escaped quotes included, are text.
        QVERIFY(!core::jsonNestingExceeds("[\"[[[[\\\"[[[[\"]", 1));
        QVERIFY(core::jsonNestingExceeds("[\"\\\\\",[]]", 1));
        // Stray closers neither wrap the count nor buy depth for what follows.
        QVERIFY(!core::jsonNestingExceeds("]]]][", 1));
        QVERIFY(core::jsonNestingExceeds("]]]][[", 1));
        QVERIFY(!core::jsonNestingExceeds("", 0));
    }

    void hexEscapesAndUtf8()
    {
        std::size_t pos = 1;
        std::uint32_t cp = 0;
        QVERIFY(core::readJsonHex4("x0aF9", pos, cp));
        QCOMPARE(cp, std::uint32_t(0x0AF9));
        QCOMPARE(pos, std::size_t(5));
        pos = 0;
        QVERIFY(!core::readJsonHex4("12g4", pos, cp));
        pos = 2;
        QVERIFY(!core::readJsonHex4("12345", pos, cp));
        QCOMPARE(cp, std::uint32_t(0x0AF9));

        std::string out;
        for (const std::uint32_t c : { 0x24u, 0x7FFu, 0x800u, 0xFFFFu, 0x10000u, 0x10FFFFu })
            core::appendUtf8(out, c);
        QCOMPARE(out, std::string("\x24\xDF\xBF\xE0\xA0\x80\xEF\xBF\xBF\xF0\x90\x80\x80\xF4\x8F\xBF\xBF"));
    }
};

QTEST_GUILESS_MAIN(TestSpanJson)
#include "tst_spanjson.moc"
