#!/bin/sh
# Run one libFuzzer target for a fixed time from its seed corpus.
# usage: run-fuzzer.sh FUZZER CORPUS_DIR SECONDS
# New inputs go to a scratch directory, so the checked-in corpus is never modified.
set -eu
fuzzer=$1 corpus=$2 secs=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
set -- "$work"
[ -d "$corpus" ] && set -- "$work" "$corpus"
exec "$fuzzer" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "$@"
