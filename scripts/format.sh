#!/usr/bin/env bash
# Formats the project's own C++ sources with clang-format and the .clang-format at the root.
#
#   scripts/format.sh                  formats every project source in place
#   scripts/format.sh --check          changes nothing: clang-format --dry-run --Werror, lists the
#                                      files that are not formatted and exits 1 if there are any
#   scripts/format.sh [--check] FILE…  only these files (scripts/pre-commit passes the staged ones)
#
# Project sources: the .cpp and .h files of app/, ui/ and tests/ that git tracks (every file under
# them outside a git checkout). Generated code lives in the build directory and is never among
# them; third-party code (node_modules, a third_party/ folder) and the tests' fixtures are left out.
# clang-format's output differs between major versions: the tree is formatted with the one of
# Debian 12 (clang-format 14, scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

check=0
files=()
for arg in "$@"; do
  case $arg in
    --check) check=1 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) files+=("$arg") ;;
  esac
done

is_project_source() {
  case $1 in
    */node_modules/*|*/third_party/*|build/*) return 1 ;;
    tests/fixtures/*) return 1 ;; # inputs of tests, shaped on purpose
    app/*.cpp|app/*.h|ui/*.cpp|ui/*.h|tests/*.cpp|tests/*.h) return 0 ;;
    *) return 1 ;;
  esac
}

if [ ${#files[@]} -eq 0 ]; then
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    mapfile -t all < <(git ls-files -- app ui tests)
  else
    mapfile -t all < <(find app ui tests -type f \( -name '*.cpp' -o -name '*.h' \) | sort)
  fi
else
  all=("${files[@]}")
fi
sources=()
for f in "${all[@]}"; do
  if is_project_source "$f" && [ -f "$f" ]; then sources+=("$f"); fi
done
[ ${#sources[@]} -gt 0 ] || exit 0

command -v clang-format >/dev/null || { echo "format: clang-format is not installed" >&2; exit 2; }

if [ $check -eq 0 ]; then
  printf '%s\0' "${sources[@]}" | xargs -0 -n 50 clang-format -i --style=file
  exit 0
fi

# One clang-format per file: its exit status says whether that file is formatted.
mapfile -t unformatted < <(printf '%s\0' "${sources[@]}" | xargs -0 -P "$(nproc)" -I{} \
  sh -c 'clang-format --dry-run --Werror --style=file "$1" >/dev/null 2>&1 || echo "$1"' _ {} | sort)
if [ ${#unformatted[@]} -gt 0 ]; then
  printf 'not formatted: %s\n' "${unformatted[@]}"
  echo "format: ${#unformatted[@]} of ${#sources[@]} files are not formatted; scripts/format.sh formats them" >&2
  exit 1
fi
echo "format: ${#sources[@]} files formatted"
