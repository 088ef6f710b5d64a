#!/usr/bin/env bash
# How well does the regression run see a real slowdown, and how often does it cry wolf? Measures it:
# one baseline with regression.sh's settings ('suite --regression'), then ROUNDS rounds of three
# runs in a shuffled order — the identical build, and the same build with CPU work planted after
# every request ('-p work=T', JMH Blackhole.consumeCPU tokens) sized to cut throughput by about 10 %
# and 25 % — each compared with the baseline as regression.sh compares (default threshold). Writes
# every run's jmh.json and comparison, and summary.md, into results/planted-<date>-<commit>/.
#
#   scripts/planted-slowdown.sh [ROUNDS (10)] [TOKENS_10 (from calibration)] [TOKENS_25]
#
# The planted rows are paired with the baseline's work=0 rows (their 'work' parameter is renamed
# to 0 before the comparison), as a code change that added the same work would be.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds="${1:-10}"
t10="${2:-}"
t25="${3:-}"
case "$rounds" in ''|*[!0-9]*) echo "planted-slowdown.sh: ROUNDS must be a whole number 1..100, was '$rounds'" >&2; exit 2;; esac
[ "$rounds" -ge 1 ] && [ "$rounds" -le 100 ] || { echo "planted-slowdown.sh: ROUNDS must be 1..100, was $rounds" >&2; exit 2; }
command -v python3 >/dev/null 2>&1 || { echo "planted-slowdown.sh: 'python3' not found on PATH (it writes the per-row table)" >&2; exit 2; }
[ -n "$t10" ] && [ -n "$t25" ] || { echo "planted-slowdown.sh: TOKENS_10 and TOKENS_25 are needed (measure them: README, 'Regression runs')" >&2; exit 2; }

commit=$(git rev-parse --short HEAD)
out="results/planted-$(date -u +%Y-%m-%d)-$commit"
[ -e "$out" ] && { echo "planted-slowdown.sh: $out exists; it is never overwritten" >&2; exit 2; }
mkdir -p "$out"
echo "planted-slowdown.sh: building"
mvn -q -B package -DskipTests
# every run uses this copy: a build in the working tree meanwhile cannot change what is measured
jar=$(mktemp -d)/benchmarks.jar
cp benchmarks.jar "$jar"
trap 'rm -rf "$(dirname "$jar")"' EXIT

# one suite --regression run with '-p work=T'; prints the run folder
measure() {
  local log
  log=$(mktemp)
  java -jar "$jar" suite --regression -p work="$1" > "$log" 2>&1 || true
  sed -n 's/^log: .*; results: //p' "$log" | head -n 1
  rm -f "$log"
}

echo "planted-slowdown.sh: baseline"
base=$(measure 0)
[ -f "$base/jmh.json" ] || { echo "planted-slowdown.sh: the baseline run failed ($base)" >&2; exit 1; }
cp "$base/jmh.json" "$out/baseline.jmh.json"
cp "$base/env.json" "$out/env.json"
[ -f "$base/precision.json" ] && cp "$base/precision.json" "$out/baseline.precision.json"

echo "round,order,condition,tokens,exit,regressed_rows,run" > "$out/runs.csv"
for r in $(seq 1 "$rounds"); do
  order=$(printf 'identical 0\nplanted-10 %s\nplanted-25 %s\n' "$t10" "$t25" | shuf)
  i=0
  while read -r cond tokens; do
    i=$((i + 1))
    echo "planted-slowdown.sh: round $r/$rounds, $cond (work=$tokens)"
    dir=$(measure "$tokens")
    name="r$(printf %02d "$r")-$cond"
    if [ ! -f "$dir/jmh.json" ]; then
      echo "$r,$i,$cond,$tokens,failed,,$dir" >> "$out/runs.csv"
      continue
    fi
    sed "s/\"work\" : \"$tokens\"/\"work\" : \"0\"/" "$dir/jmh.json" > "$out/$name.jmh.json"
    # the run's forks, rounds and CPU probes
    [ -f "$dir/precision.json" ] && cp "$dir/precision.json" "$out/$name.precision.json"
    set +e
    java -jar "$jar" compare "$out/baseline.jmh.json" "$out/$name.jmh.json" --format json > "$out/$name.compare.json"
    code=$?
    set -e
    rows=$(grep -c '"verdict" : "regressed"' "$out/$name.compare.json" || true)
    echo "$r,$i,$cond,$tokens,$code,$rows,$dir" >> "$out/runs.csv"
  done <<< "$order"
done

{
  echo "# Planted slowdowns: what the regression run detects"
  echo
  echo "Commit $commit, $(date -u +%Y-%m-%dT%H:%MZ); $rounds rounds; baseline and every run with"
  echo "\`suite --regression\`, compared as \`scripts/regression.sh\` compares (threshold 10 %)."
  echo "Runs' exit 1 = compare established a regression. Machine: \`env.json\`."
  echo
  echo "| condition | work tokens | runs | called regressed (exit 1) |"
  echo "|---|---:|---:|---:|"
  for cond in identical planted-10 planted-25; do
    n=$(grep -c ",$cond," "$out/runs.csv" || true)
    hit=$(grep ",$cond," "$out/runs.csv" | awk -F, '$5 == 1' | wc -l)
    tok=$(grep ",$cond," "$out/runs.csv" | head -n 1 | cut -d, -f4)
    echo "| $cond | $tok | $n | $hit |"
  done
  echo
  echo "Per row: the median ratio NEW/BASE over the runs (the slowdown the work planted there) and"
  echo "how many runs called the row regressed."
  echo
  python3 - "$out" <<'PY'
import csv, json, statistics, sys, os
out = sys.argv[1]
runs = list(csv.DictReader(open(os.path.join(out, "runs.csv"))))
conds = ["identical", "planted-10", "planted-25"]
rows = {}
for r in runs:
    name = "r%02d-%s" % (int(r["round"]), r["condition"])
    f = os.path.join(out, name + ".compare.json")
    if r["exit"] == "failed" or not os.path.exists(f):
        continue
    for res in json.load(open(f))["results"]:
        d = rows.setdefault(res["name"], {c: [] for c in conds})
        d[r["condition"]].append((res["ratio"], res["verdict"]))
print("| row | " + " | ".join(c + " ratio (regressed)" for c in conds) + " |")
print("|---|" + "---:|" * len(conds))
for name, d in rows.items():
    cells = []
    for c in conds:
        v = d[c]
        if not v:
            cells.append("–")
            continue
        med = statistics.median(x for x, _ in v)
        hit = sum(1 for _, verdict in v if verdict == "regressed")
        cells.append("%.3f (%d/%d)" % (med, hit, len(v)))
    print("| " + name + " | " + " | ".join(cells) + " |")
PY
} > "$out/summary.md"
cat "$out/summary.md"
echo "planted-slowdown.sh: done: $out (now commit it)"
