#!/bin/sh
# Compile one topology source with alsatplg; fail on any diagnostic.
# usage: compile.sh ALSATPLG SRC.conf OUT.tplg
# alsatplg exits 0 after some errors (an undefined route endpoint is only logged), so
# anything it prints on stderr fails the build too, and no output is left behind.
set -u
alsatplg=$1 src=$2 out=$3
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$alsatplg" -c "$src" -o "$out" 2>"$log"
rc=$?
if [ "$rc" -ne 0 ] || [ -s "$log" ]; then
	cat "$log" >&2
	echo "compile.sh: alsatplg failed on $src (exit $rc)" >&2
	rm -f "$out"
	exit 1
fi
exit 0
