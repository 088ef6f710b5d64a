#!/usr/bin/env bash
# Regression run. Two forms:
#
#   scripts/regression.sh --against REV [--budget TIME | --rounds N] [--no-build] [compare options] [-- suite options]
#   scripts/regression.sh [--no-build] [BASELINE] [compare options] [-- suite options]
#
# --against REV (both builds measured in the same minutes): builds this working tree and
# commit REV (in a temporary git worktree; its jar is kept under target/regression-base/ for the
# next run), then measures both in interleaved rounds: in each round, in a random order, one
# 'suite --regression' run of each jar with one fork per row (keep-alive c1 and c16, max-sockets-4
# c16; about 45 s a run here). As many rounds as fit in --budget (default 10m, the whole run,
# builds included; 3 rounds at least, 20 at most: 5 or 6 here), or exactly --rounds N (3..20).
# 'compare --paired' then judges each row from its rounds' ratios, so that minutes in which the
# machine ran slow slow both sides. Drift faster than a round still widens the intervals; what N
# rounds can detect on a machine: 'benchmarks.jar power' on an A/A run (README, "Regression runs").
#
# Without --against: runs 'suite --regression' (3 forks per row, about 2.5 minutes) once and
# compares it with results/baseline/jmh.json (or the JMH JSON given as BASELINE): a baseline
# measured at another time, which a machine that drifts can make look better or worse.
#
# Prints the comparison and exits with compare's code: 0 no regression, 1 a regression (or a run
# failed), 2 bad input. --no-build uses the benchmarks.jar already built; suite options after '--'
# pass to every suite run (e.g. '-- -p work=200' plants 200 tokens of CPU work per request: see
# README, "Regression runs").
set -euo pipefail
cd "$(dirname "$0")/.."

start=$(date +%s)
build=1
against=""
rounds=""
budget=""
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0; shift;;
    --against)
      [ $# -ge 2 ] || { echo "regression.sh: --against needs a revision (a commit, tag or branch)" >&2; exit 2; }
      against="$2"; shift 2;;
    --rounds)
      [ $# -ge 2 ] && [ -n "$2" ] || { echo "regression.sh: --rounds needs a number 3..20" >&2; exit 2; }
      rounds="$2"; shift 2;;
    --budget)
      [ $# -ge 2 ] && [ -n "$2" ] || { echo "regression.sh: --budget needs a time, e.g. 10m or 900s (1m..6h)" >&2; exit 2; }
      budget="$2"; shift 2;;
    *) break;;
  esac
done
if [ -n "$rounds" ]; then
  case "$rounds" in *[!0-9]*) echo "regression.sh: --rounds must be a whole number 3..20, was '$rounds'" >&2; exit 2;; esac
  [ "$rounds" -ge 3 ] && [ "$rounds" -le 20 ] || { echo "regression.sh: --rounds must be 3..20, was $rounds (with 2, Student's t has one degree of freedom and the intervals say nothing)" >&2; exit 2; }
  [ -z "$budget" ] || { echo "regression.sh: --rounds and --budget exclude each other (--rounds $rounds, --budget $budget)" >&2; exit 2; }
fi
budget_given=0
if [ -n "$budget" ]; then
  budget_given=1
  number=${budget%[smh]}
  case "$number" in
    ''|*[!0-9]*|"$budget") echo "regression.sh: --budget must be a time like 10m, 900s or 1h (1m..6h), was '$budget'" >&2; exit 2;;
  esac
  number=$((10#$number))
  case "$budget" in
    *s) secs=$number;;
    *m) secs=$(( number * 60 ));;
    *h) secs=$(( number * 3600 ));;
  esac
  [ "$secs" -ge 60 ] && [ "$secs" -le 21600 ] || { echo "regression.sh: --budget must be 1m..6h, was $budget" >&2; exit 2; }
else
  budget=10m
  secs=600
fi
if [ -z "$against" ] && { [ -n "$rounds" ] || [ "$budget_given" = 1 ]; }; then
  echo "regression.sh: --rounds and --budget go with --against REV" >&2; exit 2
fi
baseline=results/baseline/jmh.json
if [ $# -gt 0 ] && [ "$1" != "--" ] && [ "${1#-}" = "$1" ]; then
  [ -z "$against" ] || { echo "regression.sh: --against REV measures its own baseline; '$1' is not an option (a baseline file goes without --against)" >&2; exit 2; }
  baseline="$1"; shift
fi
compare_args=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do compare_args+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
suite_args=("$@")

command -v java >/dev/null 2>&1 || { echo "regression.sh: 'java' not found on PATH (a JDK 17+ is needed)" >&2; exit 2; }
if [ -z "$against" ]; then
  [ -f "$baseline" ] || { echo "regression.sh: no baseline at '$baseline' (run scripts/publish.sh, pass a JMH JSON file, or use --against REV)" >&2; exit 2; }
else
  command -v git >/dev/null 2>&1 || { echo "regression.sh: 'git' not found on PATH (--against builds a revision)" >&2; exit 2; }
  sha=$(git rev-parse --verify --quiet "$against^{commit}") || { echo "regression.sh: --against '$against' is not a commit of this repository" >&2; exit 2; }
fi

if [ "$build" = 1 ]; then
  command -v mvn >/dev/null 2>&1 || { echo "regression.sh: 'mvn' not found on PATH (Maven 3.8+ is needed)" >&2; exit 2; }
  echo "regression.sh: building"
  mvn -q -B package -DskipTests
fi
[ -f benchmarks.jar ] || { echo "regression.sh: no benchmarks.jar (run without --no-build)" >&2; exit 2; }

if [ -z "$against" ]; then
  # the suite makes a new run folder of its own (results/runs/...) and names it on its second line
  log=$(mktemp)
  trap 'rm -f "$log"' EXIT
  java -jar benchmarks.jar suite --regression ${suite_args[@]+"${suite_args[@]}"} | tee "$log"
  out=$(sed -n 's/^log: .*; results: //p' "$log" | head -n 1)
  [ -n "$out" ] || { echo "regression.sh: the suite did not say where its run went" >&2; exit 1; }
  code=0
  java -jar benchmarks.jar compare "$baseline" "$out/jmh.json" ${compare_args[@]+"${compare_args[@]}"} || code=$?
  exit "$code"
fi

# --against: both jars, measured in interleaved rounds
work=$(mktemp -d)
worktree=""
cleanup() {
  if [ -n "$worktree" ]; then
    git worktree remove --force "$worktree" >/dev/null 2>&1 || true
    git worktree prune >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
# this tree's jar, copied: a build meanwhile cannot change what is measured
cp benchmarks.jar "$work/new.jar"
head_commit=$(git rev-parse --short HEAD)
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  new_label="$head_commit (with uncommitted changes)"
else
  new_label="$head_commit"
fi
if [ "$build" = 0 ]; then
  echo "regression.sh: warning: --no-build: NEW is the benchmarks.jar already built, labelled $new_label whatever it was built from" >&2
fi
base_label=$(git rev-parse --short "$sha")
cached="target/regression-base/$sha/benchmarks.jar"
if [ ! -f "$cached" ]; then
  command -v mvn >/dev/null 2>&1 || { echo "regression.sh: 'mvn' not found on PATH (--against builds $base_label)" >&2; exit 2; }
  echo "regression.sh: building $base_label in a temporary worktree"
  worktree="$work/base"
  git worktree add --quiet --detach "$worktree" "$sha" || { echo "regression.sh: cannot check out $base_label into a temporary worktree ($worktree)" >&2; exit 2; }
  (cd "$worktree" && mvn -q -B package -DskipTests) || { echo "regression.sh: the build of $base_label failed" >&2; exit 2; }
  [ -f "$worktree/benchmarks.jar" ] || { echo "regression.sh: building $base_label gave no benchmarks.jar" >&2; exit 2; }
  mkdir -p "$(dirname "$cached")"
  cp "$worktree/benchmarks.jar" "$cached.tmp" && mv "$cached.tmp" "$cached"
  git worktree remove --force "$worktree"
  worktree=""
fi
cp "$cached" "$work/base.jar"
java -jar "$work/base.jar" suite --help 2>/dev/null | grep -q -- '--max-forks' || {
  echo "regression.sh: $base_label's benchmarks.jar has no 'suite --max-forks' (older than interleaved rounds can use); compare with a baseline file instead" >&2
  exit 2
}

if [ -n "$rounds" ]; then
  echo "regression.sh: $rounds rounds of $base_label (BASE) and $new_label (NEW), in a random order each round"
else
  echo "regression.sh: rounds of $base_label (BASE) and $new_label (NEW), in a random order each round, as many as fit in --budget $budget (3..20)"
fi
base_runs=()
new_runs=()
rounds_start=$(date +%s)
r=0
while :; do
  r=$((r + 1))
  for side in $(printf 'base\nnew\n' | shuf); do
    if [ "$side" = base ]; then jar="$work/base.jar"; label="$base_label"; else jar="$work/new.jar"; label="$new_label"; fi
    log="$work/round-$r-$side.log"
    set +e
    KEEPALIVE_GIT_COMMIT="$label" java -jar "$jar" suite --regression --min-forks 1 --max-forks 1 \
      ${suite_args[@]+"${suite_args[@]}"} > "$log" 2>&1
    code=$?
    set -e
    out=$(sed -n 's/^log: .*; results: //p' "$log" | head -n 1)
    if [ "$code" != 0 ] || [ -z "$out" ] || [ ! -f "$out/jmh.json" ]; then
      tail -n 20 "$log" >&2
      echo "regression.sh: round $r, $side ($label) failed (exit $code${out:+, $out})" >&2
      exit 1
    fi
    if [ "$side" = base ]; then base_runs+=("$out/jmh.json"); else new_runs+=("$out/jmh.json"); fi
    echo "regression.sh: round $r${rounds:+/$rounds}, $(echo "$side" | tr a-z A-Z) $label: $out ($(( $(date +%s) - start )) s)"
  done
  if [ -n "$rounds" ]; then
    [ "$r" -lt "$rounds" ] || break
  else
    now=$(date +%s)
    per_round=$(( (now - rounds_start) / r ))
    [ "$r" -lt 20 ] || break
    if [ "$r" -ge 3 ] && [ $(( now - start + per_round )) -gt "$secs" ]; then
      if [ $(( now - start )) -gt "$secs" ]; then
        if [ "$r" = 3 ]; then
          echo "regression.sh: 3 rounds, the fewest that judge anything, took $(( now - start )) s, beyond --budget $budget" >&2
        else
          echo "regression.sh: $r rounds took $(( now - start )) s, beyond --budget $budget: the last round was slower than the ones before" >&2
        fi
      fi
      break
    fi
  fi
done
echo "regression.sh: $r rounds in $(( $(date +%s) - start )) s"
join() { local IFS=,; echo "$*"; }
# the rounds' files, for 'compare --paired' again or, from an A/A run (--against HEAD), for 'power'
echo "regression.sh: BASE rounds: $(join "${base_runs[@]}")"
echo "regression.sh: NEW rounds: $(join "${new_runs[@]}")"
set +e
java -jar "$work/new.jar" compare --paired "$(join "${base_runs[@]}")" "$(join "${new_runs[@]}")" \
  ${compare_args[@]+"${compare_args[@]}"}
code=$?
set -e
exit "$code"
