#!/bin/sh
# Times the span search of another revision (default: main) and of this tree in one go: builds
# bench_search against that revision's waterfall (under build/old-search), then runs the old and the
# new program case by case, one after the other, so both meet the same machine.
#
#   tests/bench/search_old_vs_new.sh [revision] [timeout-seconds]
#
# Run from a configured tree (cmake --preset ci && cmake --build --preset ci --target bench_search).
# Each case is a process of its own: the old search can hold the GUI thread for minutes, and
# bench_search gives up on a case after the timeout (default 300 s) and says so.
set -eu

here=$(cd "$(dirname "$0")/../.." && pwd)
revision=${1:-main}
timeout=${2:-300}
old="$here/build/old-search"
new_bench="$here/build/ci/tests/bench/bench_search"

rm -rf "$old"
mkdir -p "$old"
git -C "$here" archive "$revision" | tar -x -C "$old"
# The benchmark itself is this tree's: it drives the view only through its widgets.
mkdir -p "$old/tests/support"
cp "$here/tests/bench/bench_search.cpp" "$old/tests/bench/"
cp "$here/tests/support/agenttrace.h" "$old/tests/support/"
if ! grep -q bench_search "$old/tests/bench/CMakeLists.txt"; then
    cat >>"$old/tests/bench/CMakeLists.txt" <<'EOF'
if(TARGET agentops_ui_waterfall)
    add_executable(bench_search bench_search.cpp)
    target_link_libraries(bench_search PRIVATE agentops_ui_waterfall Qt6::Widgets)
    target_include_directories(bench_search PRIVATE ${PROJECT_SOURCE_DIR}/tests)
    target_compile_definitions(bench_search PRIVATE QT_NO_KEYWORDS QT_NO_CAST_FROM_ASCII QT_NO_CAST_TO_ASCII)
endif()
EOF
fi
(cd "$old" && cmake --preset ci >/dev/null && cmake --build build/ci --target bench_search >/dev/null)
old_bench="$old/build/ci/tests/bench/bench_search"

echo "old: $revision ($(git -C "$here" rev-parse --short "$revision")); new: this tree ($(git -C "$here" rev-parse --short HEAD)$(git -C "$here" diff --quiet HEAD || echo ', modified'))"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
for spans in 100000 1000000; do
    for unique in 0 1; do
        for word in refund weather retrieve; do
            for side in old new; do
                if [ "$side" = old ]; then bench=$old_bench; else bench=$new_bench; fi
                "$bench" --spans "$spans" --words "$word" --unique-text "$unique" --timeout "$timeout" \
                    --label "$side" 2>/dev/null | grep -v '^bench_search' || true
            done
        done
    done
done
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
