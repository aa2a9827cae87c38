#!/bin/sh
# issue 10: haprobe's start-up cost (docs/startup-and-deadlines.md). Median wall time of 20 runs each
# of `--version` and `run --help` (start + module load, no work), for every built checkout given,
# the runs interleaved so that a busy machine weighs on all of them alike. No lab, no root.
#   sh bench/startup-cost.sh [DIR...]      (default: this checkout; DIR/dist/src/cli/bin.js must exist)
[ $# -gt 0 ] || set -- "$(cd "$(dirname "$0")/.." && pwd)"
out=$(mktemp -d)
time_ms() { s=$(date +%s%N); node "$@" >/dev/null; e=$(date +%s%N); echo $(((e - s) / 1000000)); }
for i in $(seq 20); do
  n=0
  for dir in "$@"; do
    n=$((n + 1))
    time_ms "$dir/dist/src/cli/bin.js" --version >>"$out/$n.version"
    time_ms "$dir/dist/src/cli/bin.js" run --help >>"$out/$n.run-help"
  done
done
n=0
for dir in "$@"; do
  n=$((n + 1))
  for what in version run-help; do
    sort -n "$out/$n.$what" | awk -v d="$dir" -v w="$what" '{ v[NR] = $1 } END { printf "%s  %-9s median %4d ms (min %d, max %d)\n", d, w, (v[10] + v[11]) / 2, v[1], v[NR] }'
  done
done
rm -rf "$out"
