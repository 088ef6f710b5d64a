#!/usr/bin/env bash
# Regression run: builds, runs 'suite --quick' and compares it with results/baseline/jmh.json (or the
# JMH JSON given as the first argument). Prints the comparison and exits with compare's code:
# 0 no regression, 1 a regression (or the suite failed), 2 bad input.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v java >/dev/null 2>&1 || { echo "regression.sh: 'java' not found on PATH (a JDK 17+ is needed)" >&2; exit 2; }
command -v mvn >/dev/null 2>&1 || { echo "regression.sh: 'mvn' not found on PATH (Maven 3.8+ is needed)" >&2; exit 2; }
baseline="${1:-results/baseline/jmh.json}"
[ -f "$baseline" ] || { echo "regression.sh: no baseline at '$baseline' (run scripts/publish.sh, or pass a JMH JSON file)" >&2; exit 2; }

echo "regression.sh: building"
mvn -q -B package -DskipTests
# the suite makes a new run folder of its own (results/runs/...) and names it on its second line
log=$(mktemp)
trap 'rm -f "$log"' EXIT
java -jar benchmarks.jar suite --quick | tee "$log"
out=$(sed -n 's/^log: .*; results: //p' "$log" | head -n 1)
[ -n "$out" ] || { echo "regression.sh: the suite did not say where its run went" >&2; exit 1; }
java -jar benchmarks.jar compare "$baseline" "$out/jmh.json" "${@:2}"
