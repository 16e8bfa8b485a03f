// SPDX-License-Identifier: MIT
#include "core/text.h"

#include <QtTest>

#include <string>

using namespace agentops;

class TestText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void caseOfEveryByte()
    {
        // Every one of the 256 byte values: the 26 ASCII letters change case, nothing else does
        // (UTF-8's lead and continuation bytes, digits, punctuation and control bytes stay).
        for (int b = 0; b < 256; ++b) {
            const char c = static_cast<char>(b);
            const bool lowerLetter = b >= 'a' && b <= 'z';
            const bool upperLetter = b >= 'A' && b <= 'Z';
            QCOMPARE(core::asciiUpperChar(c), lowerLetter ? static_cast<char>(b - 32) : c);
            QCOMPARE(core::asciiLowerChar(c), upperLetter ? static_cast<char>(b + 32) : c);
        }
    }

    void upperAndLowerOfText()
    {
        QCOMPARE(core::asciiUpper("options"), std::string("OPTIONS"));
        QCOMPARE(core::asciiUpper("Get-Post_9 z"), std::string("GET-POST_9 Z"));
        QCOMPARE(core::asciiUpper(""), std::string());
        // Not ASCII: left as it is ("ü" and "ß" are two bytes each in UTF-8).
        QCOMPARE(core::asciiUpper("gr\xC3\xBC\xC3\x9F"), std::string("GR\xC3\xBC\xC3\x9F"));
        QCOMPARE(core::asciiLower("Content-TYPE \xC3\x9C"), std::string("content-type \xC3\x9C"));
        // A NUL byte inside the view is a byte like any other, not an end.
        const std::string withNul("a\0b", 3);
        QCOMPARE(core::asciiUpper(withNul), std::string("A\0B", 3));
        QVERIFY(core::equalsNoCase(core::asciiUpper("patch"), "patch"));
        QVERIFY(!core::equalsNoCase("patch", "patcH "));
    }
};

QTEST_GUILESS_MAIN(TestText)
#include "tst_text.moc"
