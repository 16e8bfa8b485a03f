#!/usr/bin/env bash
# Measures how much of app/ and ui/ the test suite runs: builds the `coverage` preset (app/ and ui/
# with --coverage -O0, the tests as in the ci preset, into build/coverage), runs the whole suite, and
# prints lines, functions and branches with gcovr, then every file under 75% of its lines and the
# files that miss the most branches. Figures, targets, and why these branches are the ones counted:
# CONTRIBUTING.md ("Coverage").
#
# Branches are counted without the ones the compiler adds for exceptions (--exclude-throw-branches)
# and without those on lines that hold no code of their own, such as a closing brace
# (--exclude-unreachable-branches), both gcovr's own options. What is left are the decisions of the
# source and the compiler's branches on lines of code, which are taken whenever their line runs.
#
#   scripts/coverage.sh            build, run the suite, report
#   scripts/coverage.sh --report   report on the counters the last run left (no build, no tests)
#   JOBS=N scripts/coverage.sh     parallel build and test jobs (default: nproc)
#
# A second full build directory (about 6 GB). Needs gcovr (scripts/install-deps.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/.."

build=build/coverage
jobs="${JOBS:-$(nproc)}"
threshold=75
test_status=0

if [ "${1:-}" != "--report" ]; then
  cmake --preset coverage >/dev/null
  cmake --build --preset coverage -j "$jobs"
  # Counters add up across runs: start from zero so the figures are this run's.
  find "$build" -name '*.gcda' -delete
  ctest --preset coverage -j "$jobs" || test_status=$?
fi

summary="$build/coverage-summary.json"
gcovr --root . --object-directory "$build" \
  --filter 'app/' --filter 'ui/' \
  --exclude-throw-branches --exclude-unreachable-branches \
  -j "$jobs" \
  --txt "$build/coverage-lines.txt" \
  --json-summary-pretty --json-summary "$summary"

python3 - "$summary" "$threshold" <<'EOF'
import json, sys

with open(sys.argv[1]) as f:
    s = json.load(f)
threshold = float(sys.argv[2])

def pct(covered, total):
    return 100.0 * covered / total if total else 100.0

print()
print("Coverage of app/ and ui/ (gcovr, throw and unreachable branches excluded)")
for name, key in (("lines", "line"), ("functions", "function"), ("branches", "branch")):
    covered, total = s[key + "_covered"], s[key + "_total"]
    print(f"  {name:<10} {pct(covered, total):5.1f}%  ({covered} of {total})")

low = [f for f in s["files"] if pct(f["line_covered"], f["line_total"]) < threshold]
low.sort(key=lambda f: pct(f["line_covered"], f["line_total"]))
print()
if low:
    print(f"Files under {threshold:.0f}% of lines:")
    for f in low:
        print(f"  {pct(f['line_covered'], f['line_total']):5.1f}%  "
              f"{f['line_covered']:>5}/{f['line_total']:<5}  {f['filename']}")
else:
    print(f"No file under {threshold:.0f}% of lines.")

# Where the branches that are not run are: the files that miss the most of them.
missing = [f for f in s["files"] if f["branch_total"] > f["branch_covered"]]
missing.sort(key=lambda f: f["branch_covered"] - f["branch_total"])
print()
print("Files missing the most branches (missed, of total):")
for f in missing[:15]:
    print(f"  {f['branch_total'] - f['branch_covered']:>5} of {f['branch_total']:<5} "
          f"{pct(f['branch_covered'], f['branch_total']):5.1f}%  {f['filename']}")
EOF

echo
echo "Per-file figures: $build/coverage-lines.txt, $summary"
if [ "$test_status" -ne 0 ]; then
  echo "The suite failed (ctest exit $test_status): figures above are of a failing run." >&2
fi
exit "$test_status"
