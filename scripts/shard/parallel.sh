#!/usr/bin/env bash
# A run split by terminal over several hosts with GNU parallel, then merged into one report: the same
# report a single `txlog analyze` writes. Every host needs txlog and the inputs at the same path (a shared
# mount or a copy); the partial directories come back to this host over parallel's --return.
#
#   scripts/shard/parallel.sh [-n SHARDS] [-S host1,host2,…] [-o OUT] [-w WORKDIR] -- ANALYZE-ARGS…
#
#   -n  number of shards (default: 2 × the number of hosts, or of local cores with no -S)
#   -S  GNU parallel's --sshlogin list; without it the shards run on this host (how CI tests the script)
#   -o  output directory of the merged report (default: report)
#   -w  where shards write their partial state (default: a new temporary directory, removed at the end)
# TXLOG_CARD_KEY must be set (the same secret for every shard) and is passed to the hosts.
# TXLOG, if set, is the command that runs txlog (default: txlog, or this checkout's dist/src/cli.js).
set -euo pipefail

here="$(cd "$(dirname "$0")/../.." && pwd)"
txlog="${TXLOG:-}"
if [ -z "$txlog" ]; then
  if command -v txlog >/dev/null; then txlog=txlog; else txlog="node $here/dist/src/cli.js"; fi
fi
shards=""; hosts=""; out="report"; work=""
while getopts "n:S:o:w:" opt; do
  case "$opt" in
    n) shards="$OPTARG" ;;
    S) hosts="$OPTARG" ;;
    o) out="$OPTARG" ;;
    w) work="$OPTARG" ;;
    *) echo "usage: $0 [-n SHARDS] [-S hosts] [-o OUT] [-w WORKDIR] -- ANALYZE-ARGS..." >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
if [ $# -eq 0 ]; then echo "$0: give the analyze inputs and options after --" >&2; exit 2; fi
command -v parallel >/dev/null || { echo "$0: GNU parallel is not installed (apt-get install parallel)" >&2; exit 2; }
[ -n "${TXLOG_CARD_KEY:-}" ] || { echo "$0: set TXLOG_CARD_KEY (one secret for every shard): cards are matched across shards by a keyed hash" >&2; exit 2; }
if [ -z "$shards" ]; then
  if [ -n "$hosts" ]; then shards=$(( 2 * $(tr ',' '\n' <<<"$hosts" | wc -l) )); else shards=$(nproc); fi
fi
cleanup=""
if [ -z "$work" ]; then work="$(mktemp -d)"; cleanup="$work"; fi
trap '[ -n "$cleanup" ] && rm -rf "$cleanup"' EXIT

args=$(printf '%q ' "$@")
remote=()
if [ -n "$hosts" ]; then remote=(-S "$hosts" --env TXLOG_CARD_KEY --return "$work/shard-{}" --cleanup); fi
# One job per shard; a failed shard fails the run (--halt now,fail=1), and the merge refuses a missing one anyway.
seq 0 $((shards - 1)) | parallel --halt now,fail=1 "${remote[@]}" \
  "$txlog analyze $args --shard {}/$shards --partial $work/shard-{} -q"
dirs=()
for k in $(seq 0 $((shards - 1))); do dirs+=("$work/shard-$k"); done
$txlog merge "${dirs[@]}" --out "$out"
