#!/usr/bin/env bash
# Static analysis of the project's own sources: clang-tidy (the checks in .clang-tidy) and clazy
# (Qt-specific: level 0 and 1 checks, see CLAZY_CHECKS below), over the compile commands of the ci
# build. Exits non-zero when either finds anything.
#
#   scripts/analyze.sh [--tidy | --clazy] [-j N] [path ...]
#
# path: folders or files of the tree (default: app ui tests); --tidy or --clazy runs only that tool.
# Needs build/ci configured and built once (cmake --preset ci && cmake --build --preset ci): the
# compile commands come from there, and moc's and protoc's generated headers with them.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=${AGENTOPS_ANALYZE_BUILD_DIR:-build/ci}

run_tidy=1
run_clazy=1
jobs=$(nproc)
paths=()
while [ $# -gt 0 ]; do
  case $1 in
    --tidy) run_clazy=0 ;;
    --clazy) run_tidy=0 ;;
    -j) jobs=$2; shift ;;
    -j*) jobs=${1#-j} ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) paths+=("${1%/}") ;;
  esac
  shift
done
[ ${#paths[@]} -gt 0 ] || paths=(app ui tests)

if [ ! -f "$build/compile_commands.json" ]; then
  echo "analyze: $build/compile_commands.json is missing; run: cmake --preset ci && cmake --build --preset ci" >&2
  exit 2
fi

# The translation units to analyse: the project's own .cpp files under the given paths that the
# build compiles (generated files live in the build directory and are left out).
mapfile -t files < <(python3 - "$build/compile_commands.json" "$root" "${paths[@]}" <<'EOF'
import json, os, sys
db, root, wanted = sys.argv[1], sys.argv[2], sys.argv[3:]
prefixes = [os.path.join(root, p) for p in wanted]
build = os.path.join(root, "build") + os.sep
seen = set()
for entry in json.load(open(db)):
    f = os.path.normpath(os.path.join(entry["directory"], entry["file"]))
    if f.startswith(build) or f in seen:
        continue
    if any(f == p or f.startswith(p + os.sep) for p in prefixes):
        seen.add(f)
        print(f)
EOF
)
if [ ${#files[@]} -eq 0 ]; then
  echo "analyze: no compiled sources under ${paths[*]}" >&2
  exit 2
fi
echo "analyze: ${#files[@]} files under ${paths[*]}, $jobs jobs"

# The ci build compiles with GCC: clang does not know some of its warning flags, and the compiler's
# own warnings are the compiler's business (the ci build makes them errors), not the analysers'.
extra=(-extra-arg=-Wno-unknown-warning-option -extra-arg=-Wno-error)
header_filter="^$root/(app|ui|tests)/"
status=0

if [ $run_tidy -eq 1 ]; then
  echo "== clang-tidy"
  # run-clang-tidy takes regular expressions: one that matches exactly the chosen files.
  regex="^($(printf '%s\n' "${files[@]}" | sed 's/[.[\*^$+?(){}|]/\\&/g' | paste -sd'|'))\$"
  # (run-clang-tidy 14 always asks for colours: they are taken out of the log.)
  if ! run-clang-tidy -quiet -j "$jobs" -p "$build" -header-filter="$header_filter" "${extra[@]}" "$regex" \
      2>&1 | sed 's/\x1b\[[0-9;]*m//g' > "$build/clang-tidy.log"; then
    status=1
  fi
  # A header's findings come once per file that includes it: each is listed once.
  findings=$(grep -E '(warning|error): .*\[[a-z]' "$build/clang-tidy.log" | sed 's/,-warnings-as-errors\]/]/' | sort -u || true)
  [ -z "$findings" ] || { echo "$findings"; status=1; }
  echo "clang-tidy: $(printf '%s' "$findings" | grep -c . || true) findings (log: $build/clang-tidy.log)"
fi

# clazy's checks: level 0 and 1 (few false positives), and from the manual ones those that fit a
# code base with QT_NO_CAST_FROM_ASCII and QStringBuilder. Left out of level 1:
#   non-pod-global-static - the static QString/QRegularExpression tables are deliberate.
CLAZY_CHECKS=level1,no-non-pod-global-static,qt6-qhash-signature,unneeded-cast,isempty-vs-count,qstring-varargs
if [ $run_clazy -eq 1 ]; then
  echo "== clazy"
  printf '%s\n' "${files[@]}" \
    | xargs -P "$jobs" -n 1 clazy-standalone -p "$build" --checks="$CLAZY_CHECKS" \
        --header-filter="$header_filter" --ignore-dirs="$root/build" "${extra[@]}" \
    > "$build/clazy.log" 2>&1 || true
  findings=$(grep -E 'warning: .*\[-Wclazy-' "$build/clazy.log" | sort -u || true)
  if [ -n "$findings" ]; then
    echo "$findings"
    status=1
  fi
  if grep -q 'error: ' "$build/clazy.log"; then
    grep 'error: ' "$build/clazy.log" | sort -u
    status=1
  fi
  echo "clazy: $(printf '%s' "$findings" | grep -c . || true) findings (log: $build/clazy.log)"
fi
exit $status
