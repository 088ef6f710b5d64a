#!/usr/bin/env bash
# Publication run: every row of the strategy suite measured to ±5 % (95 % CI over at least 3 forks
# per row, within a 55-minute budget, the client on one half of the CPUs and the server on the
# other; rows that did not get there say so), the overhead table, the
# stale keep-alive race tables (loopback, RTT 10 ms, middlebox), the distance sweep and the
# open-loop knee (sustained rate per strategy, server delay 10 ms), into a new results/<date>-<commit>/
# (or results/<date>-<commit>-<n>/ when that day and commit were published already: an earlier run
# is never deleted or overwritten); regenerates results/README.md and refreshes results/baseline/
# with a 'suite --regression' run (5 forks per row: what scripts/regression.sh compares against,
# measured with its own settings).
# Takes about an hour and a half on 2 cores. Commit the results afterwards. A step that fails stops the
# script; the run's folder then holds a FAILED file with the reason, and README.md and baseline/
# are left as they were.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v java >/dev/null 2>&1 || { echo "publish.sh: 'java' not found on PATH (a JDK 17+ is needed)" >&2; exit 2; }
command -v mvn >/dev/null 2>&1 || { echo "publish.sh: 'mvn' not found on PATH (Maven 3.8+ is needed)" >&2; exit 2; }
command -v git >/dev/null 2>&1 || { echo "publish.sh: 'git' not found on PATH (the run is named after the commit)" >&2; exit 2; }

commit=$(git rev-parse --short HEAD)
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  echo "publish.sh: warning: uncommitted changes; the run is labelled $commit (with uncommitted changes)" >&2
  export KEEPALIVE_GIT_COMMIT="$commit (with uncommitted changes)"
else
  export KEEPALIVE_GIT_COMMIT="$commit"
fi
run="results/$(date -u +%Y-%m-%d)-$commit"
n=1
while [ -e "$run" ]; do
  n=$((n + 1))
  run="results/$(date -u +%Y-%m-%d)-$commit-$n"
done

echo "publish.sh: building"
mvn -q -B package -DskipTests
echo "publish.sh: strategy suite into $run"
java -jar benchmarks.jar suite --all --out "$run" --min-forks 3 --max-error 5 --budget 55m
echo "publish.sh: overhead table into $run/overhead"
java -jar benchmarks.jar overhead --out "$run/overhead" -f 2 -wi 3 -w 1s -i 8 -r 1s
echo "publish.sh: stale keep-alive race table into $run/faults"
java -jar benchmarks.jar faults --out "$run/faults"
echo "publish.sh: what reuse is worth vs distance into $run/distance"
java -jar benchmarks.jar distance --out "$run/distance"
echo "publish.sh: open loop, the sustained rate per strategy (knee) into $run/knee"
java -jar benchmarks.jar knee --out "$run/knee" --server-delay-ms 10 --max-rate 4000 --bisections 2
echo "publish.sh: the regression run's baseline into $run/regression"
java -jar benchmarks.jar suite --regression --out "$run/regression" --min-forks 5 --max-forks 5 --budget 10m
rm -f "$run/jmh.log" "$run/overhead/jmh.log" "$run/faults/jmh.log" "$run/distance/jmh.log" "$run/regression/jmh.log"
java -jar benchmarks.jar report --publish "$run" results/README.md
mkdir -p results/baseline
cp "$run/regression/jmh.json" results/baseline/jmh.json
cp "$run/regression/env.json" results/baseline/env.json
cp "$run/regression/precision.json" results/baseline/precision.json
echo "publish.sh: done: results/README.md, $run/, results/baseline/ (now commit them)"
