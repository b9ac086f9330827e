#!/bin/sh
# The vadsp command line for topologies: help texts, `tplg check` exit codes and lines,
# `tplg dump` text and --json validity (every real file through python3's json module).
# usage: test-tplg-cli.sh VADSP [SOF_TPLG_DIR]
set -u
vadsp=$1
dir=${2:-/lib/firmware/intel/sof-tplg}
wm=$dir/sof-imx8-wm8960.tplg
. "$(dirname "$0")/test-tplg-cli-lib.sh"

expect_out() {
	grep -q -- "$1" "$work/out" || fail "output lacks '$1'"
}

[ -f "$wm" ] || { echo "FAIL: $wm missing: run scripts/install-deps"; exit 1; }

expect_rc 0 "$vadsp" --help
expect_out "tplg"
expect_rc 0 "$vadsp" tplg --help
expect_out "dump FILE \[--json\]"
expect_out "check FILE..."
expect_rc 0 "$vadsp" help tplg
expect_out "check FILE..."
expect_rc 2 "$vadsp"
expect_rc 2 "$vadsp" nosuch
expect_rc 2 "$vadsp" tplg
expect_rc 2 "$vadsp" tplg nosuch
expect_rc 2 "$vadsp" tplg check
expect_rc 2 "$vadsp" tplg dump
expect_rc 2 "$vadsp" tplg dump --bogus "$wm"
expect_rc 2 "$vadsp" tplg dump "$wm" "$wm"

# check: one line per file, exit 1 if any fails.
head -c 3000 "$wm" >"$work/cut.tplg"
expect_rc 0 "$vadsp" tplg check "$wm"
[ "$(wc -l <"$work/out")" -eq 1 ] || fail "check of one file printed $(wc -l <"$work/out") lines"
expect_out "^$wm: OK (7 blocks, 12 widgets, 2 controls, 8 routes, 1 PCMs, 1 links, 0 DAIs)$"
expect_rc 1 "$vadsp" tplg check "$wm" "$work/cut.tplg" "$work/none.tplg"
[ "$(wc -l <"$work/out")" -eq 3 ] || fail "check of three files printed $(wc -l <"$work/out") lines"
expect_out "^$wm: OK"
expect_out "^$work/cut.tplg: error: block 2 (DAPM_WIDGET) at offset 1955: payload_size 1728 exceeds"
expect_out "^$work/none.tplg: error: .*No such file or directory"
expect_rc 0 "$vadsp" tplg check "$dir"/*.tplg
[ "$(grep -c ': OK (' "$work/out")" -eq 268 ] || fail "check of the real files: $(grep -vc ': OK (' "$work/out") not OK"

# dump: text and JSON.
expect_rc 0 "$vadsp" tplg dump "$wm"
expect_out "^manifest: ABI 5 layout;.*SOF ABI 3.22.1"
expect_out "^widgets (12):"
expect_out "buffer: size=768 caps=97"
expect_out "kcontrol 0 MIXER '1 Master Playback Volume'"
expect_out "pipeline 1: 'PGA1.0' -> 'BUF1.1'"
expect_out "^  0 'Port0' id 0 "
expect_rc 1 "$vadsp" tplg dump "$work/cut.tplg"
grep -q "cut.tplg: block 2 (DAPM_WIDGET)" "$work/err" || fail "dump of a bad file: $(cat "$work/err")"

expect_rc 0 "$vadsp" tplg dump --json "$wm"
python3 - "$work/out" <<'PY' || fail "JSON of $wm"
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["widgets"]) == 12, len(d["widgets"])
w = d["widgets"][1]
assert w["name"] == "PGA1.0" and w["type"] == "pga", w["name"]
assert w["tokens"]["volume"] == {"ramp_type": 2, "ramp_ms": 20}, w["tokens"]
assert w["kcontrols"][0]["db_scale"] == {"min": -6400, "step": 200, "mute": True}
assert d["widgets"][2]["tokens"]["buffer"] == {"size": 768, "caps": 97}
assert d["manifest"]["sof_abi"] == [3, 22, 1]
assert [r["sink"] for r in d["routes"]][:2] == ["BUF1.0", "PGA1.0"]
assert d["pcms"][0]["pcm_name"] == "Port0"
assert d["links"][0]["tokens"]["dai"]["type_name"] == "SAI"
PY
python3 -m json.tool "$work/out" >/dev/null || fail "json.tool rejects the dump of $wm"

# Every real file dumps to JSON that parses.
python3 - "$vadsp" "$dir" <<'PY' || fail "JSON dumps of the real files"
import glob, json, subprocess, sys
vadsp, d = sys.argv[1], sys.argv[2]
files = sorted(glob.glob(d + "/*.tplg"))
bad = 0
for f in files:
    out = subprocess.run([vadsp, "tplg", "dump", "--json", f], capture_output=True, check=True).stdout
    j = json.loads(out)
    if len(j["blocks"]) == 0 or j["size"] <= 0:
        bad += 1
print(f"{len(files)} JSON dumps parsed, {bad} empty")
sys.exit(1 if bad or len(files) != 268 else 0)
PY

finish "all CLI checks passed"
