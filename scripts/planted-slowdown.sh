#!/usr/bin/env bash
# How well does the regression run see a real slowdown, and how often does it cry wolf? Measures it
# the way 'scripts/regression.sh --against' judges: RUNS regression runs, each of ROUNDS interleaved
# rounds; in each round, in a shuffled order, one 'suite --regression' run with one fork per row of
# each of four arms: the baseline, the identical build, and the same build with CPU work planted
# after every request ('-p work=T', JMH Blackhole.consumeCPU tokens) sized to cut throughput by
# about 10 % and 25 %. Each condition is then compared with the baseline's rounds as regression.sh
# compares ('compare --paired', default threshold). Writes every run's jmh.json, precision.json
# and comparison, and summary.md, into results/planted-<date>-<commit>/.
#
#   scripts/planted-slowdown.sh RUNS TOKENS_10 TOKENS_25 [ROUNDS (4, as regression.sh --against)]
#
# The three conditions of a run share its baseline rounds, and a round holds four suite runs where
# regression.sh's holds two: a condition's run can be up to three suite runs (about 2.5 minutes)
# from its baseline run of the same round, where regression.sh's are next to each other. So the
# pairing here is, if anything, looser than regression.sh's. The planted rows are paired with the
# baseline's work=0 rows (their 'work' parameter is renamed to 0 before the comparison), as a code
# change that added the same work would be. About 12 minutes per run of 4 rounds here.
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${1:-}"
t10="${2:-}"
t25="${3:-}"
rounds="${4:-4}"
case "$runs" in ''|*[!0-9]*) echo "planted-slowdown.sh: RUNS must be a whole number 1..100, was '$runs'" >&2; exit 2;; esac
[ "$runs" -ge 1 ] && [ "$runs" -le 100 ] || { echo "planted-slowdown.sh: RUNS must be 1..100, was $runs" >&2; exit 2; }
case "$rounds" in ''|*[!0-9]*) echo "planted-slowdown.sh: ROUNDS must be a whole number 3..20, was '$rounds'" >&2; exit 2;; esac
[ "$rounds" -ge 3 ] && [ "$rounds" -le 20 ] || { echo "planted-slowdown.sh: ROUNDS must be 3..20, was $rounds" >&2; exit 2; }
command -v python3 >/dev/null 2>&1 || { echo "planted-slowdown.sh: 'python3' not found on PATH (it writes the per-row table)" >&2; exit 2; }
[ -n "$t10" ] && [ -n "$t25" ] || { echo "planted-slowdown.sh: TOKENS_10 and TOKENS_25 are needed (measure them: README, 'Regression runs')" >&2; exit 2; }
for arg in "TOKENS_10=$t10" "TOKENS_25=$t25"; do
  t="${arg#*=}"
  case "$t" in ''|*[!0-9]*) echo "planted-slowdown.sh: ${arg%%=*} must be a whole number of tokens 1..1000000, was '$t'" >&2; exit 2;; esac
  [ "$t" -ge 1 ] && [ "$t" -le 1000000 ] || { echo "planted-slowdown.sh: ${arg%%=*} must be 1..1000000 tokens, was $t" >&2; exit 2; }
done

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
# the runs are labelled with the commit measured, whatever the working tree holds later
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  export KEEPALIVE_GIT_COMMIT="$commit (with uncommitted changes)"
else
  export KEEPALIVE_GIT_COMMIT="$commit"
fi

# one suite --regression run, one fork per row, with '-p work=T'; prints the run folder
measure() {
  local log
  log=$(mktemp)
  java -jar "$jar" suite --regression --min-forks 1 --max-forks 1 -p work="$1" > "$log" 2>&1 || true
  sed -n 's/^log: .*; results: //p' "$log" | head -n 1
  rm -f "$log"
}

echo "run,condition,tokens,exit,regressed_rows" > "$out/runs.csv"
echo "run,round,order,arm,tokens,folder" > "$out/rounds.csv"
start=$(date +%s)
for k in $(seq 1 "$runs"); do
  run=$(printf 'r%02d' "$k")
  mkdir -p "$out/$run"
  failed=0
  for r in $(seq 1 "$rounds"); do
    order=$(printf 'baseline 0\nidentical 0\nplanted-10 %s\nplanted-25 %s\n' "$t10" "$t25" | shuf)
    i=0
    while read -r arm tokens; do
      i=$((i + 1))
      dir=$(measure "$tokens")
      echo "$k,$r,$i,$arm,$tokens,$dir" >> "$out/rounds.csv"
      echo "planted-slowdown.sh: run $k/$runs, round $r/$rounds, $arm (work=$tokens): ${dir:-failed} ($(( $(date +%s) - start )) s)"
      if [ -z "$dir" ] || [ ! -f "$dir/jmh.json" ]; then
        failed=1
        continue
      fi
      name="$out/$run/k$(printf %02d "$r")-$arm"
      sed "s/\"work\" : \"$tokens\"/\"work\" : \"0\"/" "$dir/jmh.json" > "$name.jmh.json"
      # the run's forks and CPU probes; env.json so that compare can check the setup
      [ -f "$dir/precision.json" ] && cp "$dir/precision.json" "$name.precision.json"
      [ -f "$out/$run/env.json" ] || [ ! -f "$dir/env.json" ] || cp "$dir/env.json" "$out/$run/env.json"
    done <<< "$order"
  done
  [ -f "$out/env.json" ] || cp "$out/$run/env.json" "$out/env.json" 2>/dev/null || true
  for cond in identical planted-10 planted-25; do
    case "$cond" in identical) tokens=0;; planted-10) tokens=$t10;; planted-25) tokens=$t25;; esac
    if [ "$failed" = 1 ]; then
      echo "$k,$cond,$tokens,failed," >> "$out/runs.csv"
      continue
    fi
    b=$(ls "$out/$run"/k*-baseline.jmh.json | paste -sd, -)
    n=$(ls "$out/$run"/k*-"$cond".jmh.json | paste -sd, -)
    set +e
    java -jar "$jar" compare --paired "$b" "$n" --format json > "$out/$run-$cond.compare.json"
    code=$?
    set -e
    rows=$(grep -c '"verdict" : "regressed"' "$out/$run-$cond.compare.json" || true)
    echo "$k,$cond,$tokens,$code,$rows" >> "$out/runs.csv"
  done
done

{
  echo "# Planted slowdowns: what the regression run detects"
  echo
  echo "Commit $commit, finished $(date -u +%Y-%m-%dT%H:%MZ), $(( ($(date +%s) - start) / 60 )) minutes; $runs regression runs of $rounds"
  echo "interleaved rounds, each round one \`suite --regression --min-forks 1 --max-forks 1\` run of the"
  echo "baseline, the identical build and both planted builds, in a shuffled order; each condition"
  echo "compared with the baseline's rounds as \`scripts/regression.sh --against\` compares"
  echo "(\`compare --paired\`, threshold 10 %). A run's exit 1 = compare established a regression."
  echo "Machine: \`env.json\`. Every round's run folder: \`rounds.csv\`."
  echo
  echo "| condition | work tokens | runs | called regressed (exit 1) |"
  echo "|---|---:|---:|---:|"
  for cond in identical planted-10 planted-25; do
    n=$(grep -c ",$cond," "$out/runs.csv" || true)
    hit=$(grep ",$cond," "$out/runs.csv" | awk -F, '$4 == 1' | wc -l)
    case "$cond" in identical) tok=0;; planted-10) tok=$t10;; planted-25) tok=$t25;; esac
    echo "| $cond | $tok | $n | $hit |"
  done
  echo
  echo "Per row, over the runs: the median ratio NEW / BASE (the change the work planted there), the"
  echo "median smallest change the row could detect (half its interval), and how many runs called the"
  echo "row regressed / improved."
  echo
  python3 - "$out" <<'PY'
import csv, json, statistics, sys, os
out = sys.argv[1]
runs = list(csv.DictReader(open(os.path.join(out, "runs.csv"))))
conds = ["identical", "planted-10", "planted-25"]
rows = {}
for r in runs:
    f = os.path.join(out, "r%02d-%s.compare.json" % (int(r["run"]), r["condition"]))
    if r["exit"] == "failed" or not os.path.exists(f):
        continue
    for res in json.load(open(f))["results"]:
        d = rows.setdefault(res["name"], {c: [] for c in conds})
        d[r["condition"]].append(res)
print("| row | " + " | ".join(c + ": ratio, detectable (regressed / improved)" for c in conds) + " |")
print("|---|" + "---:|" * len(conds))
for name, d in rows.items():
    cells = []
    for c in conds:
        v = d[c]
        if not v:
            cells.append("–")
            continue
        med = statistics.median(x["ratio"] for x in v)
        det = [x["detectablePercent"] for x in v if "detectablePercent" in x]
        reg = sum(1 for x in v if x["verdict"] == "regressed")
        imp = sum(1 for x in v if x["verdict"] == "improved")
        cells.append("%.3f, ±%s (%d / %d of %d)" % (
            med, ("%.1f %%" % statistics.median(det)) if det else "–", reg, imp, len(v)))
    print("| " + name + " | " + " | ".join(cells) + " |")
PY
} > "$out/summary.md"
cat "$out/summary.md"
echo "planted-slowdown.sh: done: $out (now commit it)"
