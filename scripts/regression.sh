#!/usr/bin/env bash
# Regression run: builds, runs 'suite --regression' (3 rows of our agent, 3 forks each, about
# 2.5 minutes) and compares it with results/baseline/jmh.json (or the JMH JSON given as BASELINE).
# Prints the comparison and exits with compare's code: 0 no regression, 1 a regression (or the
# suite failed), 2 bad input.
#
#   scripts/regression.sh [--no-build] [BASELINE] [compare options] [-- suite options]
#
# --no-build uses the benchmarks.jar already built; suite options after '--' pass to the suite
# (e.g. '-- -p work=200' plants 200 tokens of CPU work per request: see README, "Regression runs").
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
if [ "${1:-}" = "--no-build" ]; then build=0; shift; fi
baseline=results/baseline/jmh.json
if [ $# -gt 0 ] && [ "$1" != "--" ] && [ "${1#-}" = "$1" ]; then baseline="$1"; shift; fi
compare_args=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do compare_args+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
suite_args=("$@")

command -v java >/dev/null 2>&1 || { echo "regression.sh: 'java' not found on PATH (a JDK 17+ is needed)" >&2; exit 2; }
[ -f "$baseline" ] || { echo "regression.sh: no baseline at '$baseline' (run scripts/publish.sh, or pass a JMH JSON file)" >&2; exit 2; }

if [ "$build" = 1 ]; then
  command -v mvn >/dev/null 2>&1 || { echo "regression.sh: 'mvn' not found on PATH (Maven 3.8+ is needed)" >&2; exit 2; }
  echo "regression.sh: building"
  mvn -q -B package -DskipTests
fi
[ -f benchmarks.jar ] || { echo "regression.sh: no benchmarks.jar (run without --no-build)" >&2; exit 2; }
# the suite makes a new run folder of its own (results/runs/...) and names it on its second line
log=$(mktemp)
trap 'rm -f "$log"' EXIT
java -jar benchmarks.jar suite --regression ${suite_args[@]+"${suite_args[@]}"} | tee "$log"
out=$(sed -n 's/^log: .*; results: //p' "$log" | head -n 1)
[ -n "$out" ] || { echo "regression.sh: the suite did not say where its run went" >&2; exit 1; }
java -jar benchmarks.jar compare "$baseline" "$out/jmh.json" ${compare_args[@]+"${compare_args[@]}"}
