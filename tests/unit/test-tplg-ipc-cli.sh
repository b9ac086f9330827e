#!/bin/sh
# `vadsp tplg ipc` and the project's topologies end to end: each compiled topology (and
# sof-imx8-wm8960) parses (`tplg check`), dumps with its connection points, converts to IPC3
# (one line per message; --bin writes exactly the bytes the lines add up to, each message
# starting with its size and command), decodes back with `alsatplg -d` keeping the vadsp
# token, and bad command lines exit 2.
# usage: test-tplg-ipc-cli.sh VADSP TOPOLOGY_BUILD_DIR [SOF_TPLG_DIR]
set -u
vadsp=$1
tdir=$2
sof=${3:-/lib/firmware/intel/sof-tplg}
. "$(dirname "$0")/test-tplg-cli-lib.sh"

# le32 FILE OFFSET: the little-endian word at OFFSET.
le32() {
	od -A n -t u4 --endian=little -j "$2" -N 4 "$1" | tr -d ' '
}

# check_bin FILE: the --bin output is the messages back to back, matching the text lines.
check_bin() {
	"$vadsp" tplg ipc "$1" >"$work/lines" || { fail "ipc $1"; return; }
	"$vadsp" tplg ipc "$1" --bin >"$work/bin" || { fail "ipc --bin $1"; return; }
	total=$(awk '{ s += $2 } END { print s }' "$work/lines")
	bytes=$(wc -c <"$work/bin")
	[ "$total" -eq "$bytes" ] || fail "$1: lines add up to $total bytes, --bin wrote $bytes"
	off=0
	while read -r name size rest; do
		hsize=$(le32 "$work/bin" "$off")
		[ "$hsize" -eq "$size" ] || { fail "$1: message at $off says size $hsize, line says $size"; return; }
		case $name in
		TPLG_COMP_NEW) want=805371904 ;;	# 0x30010000
		TPLG_COMP_CONNECT) want=805502976 ;;	# 0x30030000
		TPLG_PIPE_NEW) want=806354944 ;;	# 0x30100000
		TPLG_PIPE_COMPLETE) want=806551552 ;;	# 0x30130000
		TPLG_BUFFER_NEW) want=807403520 ;;	# 0x30200000
		*) fail "$1: unexpected command $name"; return ;;
		esac
		[ "$(le32 "$work/bin" $((off + 4)))" -eq "$want" ] || fail "$1: command at $off is not $name"
		off=$((off + size))
	done <"$work/lines"
}

for name in host stereo multi voice; do
	f=$tdir/$name.tplg
	[ -f "$f" ] || { fail "$f was not built"; continue; }
	expect_rc 0 "$vadsp" tplg check "$f"
	grep -q ": OK (" "$work/out" || fail "check $f: $(cat "$work/out")"
	expect_rc 0 "$vadsp" tplg dump "$f"
	grep -q "CP_NAME(16000)='main-" "$work/out" || fail "dump $f shows no connection point"
	check_bin "$f"
	# The compiled file decodes back to a configuration that still has the vadsp token.
	if alsatplg -d "$f" -o "$work/decoded.conf" 2>"$work/err"; then
		grep -q "token16000 'main-" "$work/decoded.conf" ||
			fail "alsatplg -d $f lost the connection point token"
	else
		fail "alsatplg -d $f: $(head -c 300 "$work/err")"
	fi
done

# Expected lines for stereo: 12 widgets, 8 connects, 2 completes; the volume ranges.
"$vadsp" tplg ipc "$tdir/stereo.tplg" >"$work/out"
[ "$(grep -c '^TPLG_COMP_CONNECT' "$work/out")" -eq 8 ] || fail "stereo: not 8 connects"
[ "$(grep -c '^TPLG_PIPE_COMPLETE' "$work/out")" -eq 2 ] || fail "stereo: not 2 completes"
grep -q "^TPLG_COMP_NEW *100  volume id 2 'PGA1.0' pipe 1 ch 2 min 0x0 max 0x10000" "$work/out" ||
	fail "stereo: PGA1.0 line: $(grep PGA1.0 "$work/out" | head -1)"
grep -q "^TPLG_COMP_NEW *96  dai id 4 'DAI1.OUT'" "$work/out" || fail "stereo: DAI1.OUT line"

wm=$sof/sof-imx8-wm8960.tplg
if [ -f "$wm" ]; then
	check_bin "$wm"
	expect_rc 0 "$vadsp" tplg ipc "$wm"
	[ "$(wc -l <"$work/out")" -eq 22 ] || fail "wm8960: $(wc -l <"$work/out") lines, want 22"
	head -1 "$work/out" | grep -q "^TPLG_PIPE_NEW *48  pipeline id 11 'PIPELINE.2.SAI1.IN' pipe 2 sched 10 " ||
		fail "wm8960 first line: $(head -1 "$work/out")"
	expect_rc 0 "$vadsp" tplg ipc "$wm" --base 1000
	head -1 "$work/out" | grep -q "pipeline id 1011 .* sched 1010 " || fail "--base 1000: $(head -1 "$work/out")"
	expect_rc 0 "$vadsp" tplg ipc --static "$wm"
	[ "$(wc -l <"$work/out")" -eq 22 ] || fail "--static changed a static topology"
else
	fail "$wm missing: run scripts/install-deps"
fi

expect_rc 0 "$vadsp" tplg ipc --help
grep -q "Usage: vadsp tplg ipc FILE" "$work/out" || fail "ipc --help"
expect_rc 0 "$vadsp" tplg --help
grep -q "ipc FILE \[--bin\]" "$work/out" || fail "tplg --help lacks ipc"
expect_rc 2 "$vadsp" tplg ipc
expect_rc 2 "$vadsp" tplg ipc --frobnicate "$tdir/stereo.tplg"
expect_rc 2 "$vadsp" tplg ipc "$tdir/stereo.tplg" --base
expect_rc 2 "$vadsp" tplg ipc "$tdir/stereo.tplg" --base -1
expect_rc 2 "$vadsp" tplg ipc "$tdir/stereo.tplg" --base 4294967296
expect_rc 2 "$vadsp" tplg ipc "$tdir/stereo.tplg" "$tdir/voice.tplg"
expect_rc 1 "$vadsp" tplg ipc "$work/no-such-file.tplg"
grep -q "no-such-file" "$work/err" || fail "missing file error does not name it"
expect_rc 1 "$vadsp" tplg ipc "$tdir/stereo.tplg" --base 4294967290
grep -q "32 bits" "$work/err" || fail "id overflow message: $(cat "$work/err")"

finish "all checks passed"
