"""Tests of scripts/check-function-length.py on tests/fixtures/functionlength: what it counts, what it
reports over the limit, and its list of exceptions. Standard library only.

    python3 tests/scripts/test_check_function_length.py -v
"""

import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "scripts", "check-function-length.py")
FIXTURES = os.path.join(ROOT, "tests", "fixtures", "functionlength")


def run(*args):
    return subprocess.run([sys.executable, SCRIPT, *args], cwd=FIXTURES, capture_output=True, text=True)


class CheckFunctionLength(unittest.TestCase):
    def test_lists_every_function_with_its_length(self):
        result = run("--list", "sample.cpp")
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(os.path.join(FIXTURES, "sample.expected"), encoding="utf-8") as f:
            self.assertEqual(result.stdout, f.read())

    def test_fails_on_a_function_over_the_limit(self):
        result = run("--limit", "9", "sample.cpp")
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stdout, "sample.cpp:74: withLambda is 10 lines long (limit 9)\n")
        self.assertEqual(run("--limit", "10", "sample.cpp").returncode, 0)

    def test_exceptions_allow_a_function_and_must_be_needed(self):
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
            f.write("# comment\n" + os.path.relpath(os.path.join(FIXTURES, "sample.cpp"), ROOT) + " withLambda\n")
        try:
            self.assertEqual(run("--limit", "9", "--exceptions", f.name, "sample.cpp").returncode, 0)
            stale = run("--limit", "10", "--exceptions", f.name, "sample.cpp")
            self.assertEqual(stale.returncode, 1)
            self.assertIn("withLambda is no longer over 10 lines", stale.stdout)
        finally:
            os.unlink(f.name)

    def test_unbalanced_braces_are_an_error(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "open.cpp")
            with open(path, "w", encoding="utf-8") as f:
                f.write("void f()\n{\n    if (x) {\n}\n")
            result = run(path)
            self.assertEqual(result.returncode, 1)
            self.assertIn("unbalanced braces", result.stderr)


if __name__ == "__main__":
    unittest.main()
