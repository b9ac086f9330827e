#!/bin/sh
# vadsp play/record --sof end to end: vadspd with a host DSP (host.tplg, DAI0.OUT into a WAV
# file, DAI0.IN from one) and two guests on stereo.tplg, vm1 with the SOF IPC3 extension
# (sof = yes), vm2 without. vadsp play --sof on vm1 reaches the host file bit-exact;
# vadsp record --sof on vm1 gets the host input file; play --sof --record does both at
# once; a plain guest still plays on vm1; --sof on vm2 fails cleanly; vadsp top shows a
# SOF stream while it plays; usage errors.
# usage: test-vadsp-sof-cli.sh VADSPD VADSP TOPOLOGY_DIR
set -u
vadspd=$1
vadsp=$2
topo=$3
work=$(mktemp -d /tmp/vadsp-sof-cli-XXXXXX)
pid=

cleanup() {
	[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*"
	echo "--- stdout:"; cat "$work/out" 2>/dev/null
	echo "--- stderr:"; cat "$work/err" 2>/dev/null
	[ -f "$work/vadspd.log" ] && { echo "--- vadspd:"; tail -30 "$work/vadspd.log"; }
	exit 1
}

expect_rc() {
	want=$1
	shift
	"$@" >"$work/out" 2>"$work/err"
	rc=$?
	[ "$rc" -eq "$want" ] || fail "'$*' exited $rc, not $want"
}

expect_out() {
	grep -q -- "$1" "$work/out" || fail "output lacks '$1'"
}

expect_err() {
	grep -q -- "$1" "$work/err" || fail "error output lacks '$1'"
}

# --- usage
expect_rc 0 "$vadsp" play --help
expect_out "^  -S, --sof "
expect_out "^  -R, --record=FILE "
expect_rc 0 "$vadsp" record --help
expect_out "^  -P, --pcm=NAME "
expect_rc 2 "$vadsp" play --pcm Stereo "$work/x.sock" "$work/t.wav"
expect_err "need --sof"
expect_rc 2 "$vadsp" play --record "$work/r.wav" "$work/x.sock" "$work/t.wav"
expect_rc 2 "$vadsp" play --sof --stream 0 "$work/x.sock" "$work/t.wav"
expect_err "with --sof give --pcm"
expect_rc 2 "$vadsp" record --pcm Stereo --frames 10 "$work/x.sock" "$work/r.wav"
expect_err "needs --sof"

# --- the signals: pseudo-random samples that never repeat (the host input, 10 s, and the
# played file, 1 s), so that a 100-frame stretch tells where it is
python3 - "$work" <<'PY' || fail "cannot write the test WAV files"
import random, struct, sys, wave
def write(path, frames, seed):
    rnd = random.Random(seed)
    w = wave.open(path, 'wb')
    w.setnchannels(2)
    w.setsampwidth(2)
    w.setframerate(48000)
    w.writeframes(b''.join(struct.pack('<hh', v, v) for v in
                           (rnd.randint(-25000, 25000) for _ in range(frames))))
    w.close()
d = sys.argv[1]
write(d + '/in.wav', 10 * 48000, 1)
write(d + '/play.wav', 48000, 2)
write(d + '/top.wav', 48000, 3)
PY

cat >"$work/vadspd.conf" <<CONF
[daemon]
log-level = info
mgmt-socket = $work/mgmt.sock

[host]
topology = $topo/host.tplg
dai.DAI0.OUT = file:$work/host-out.wav
dai.DAI0.IN = file:$work/in.wav

[guest vm1]
socket = $work/vm1.sock
topology = $topo/stereo.tplg
sof = yes

[guest vm2]
socket = $work/vm2.sock
topology = $topo/stereo.tplg
CONF
"$vadspd" --config "$work/vadspd.conf" 2>"$work/vadspd.log" &
pid=$!
i=0
while [ ! -S "$work/mgmt.sock" ]; do
	i=$((i + 1))
	[ $i -gt 500 ] && fail "vadspd did not open its management socket"
	kill -0 "$pid" 2>/dev/null || fail "vadspd exited"
	sleep 0.02
done

# --- a DSP-aware guest plays, records, and does both at once
# 320 ms queued (16 periods of 20 ms, the most stereo.tplg's PCMs allow), all of it before
# TRIG_START: a guest process held off the CPU for a while on a busy machine must not starve
# its streams (120 ms was not enough: "1 xruns" after 13 periods, a bit-exact file broken).
q="--period-ms 20 --periods 16"
expect_rc 0 "$vadsp" play --sof $q "$work/vm1.sock" "$work/play.wav"
expect_out "^played 48000 frames (S16_LE, 48000 Hz, 2 channels, 960-frame periods) on PCM "
expect_out " on PCM 'Stereo' (SOF stream 0, host component [0-9]*), [0-9]* positions, 0 xruns$"
expect_rc 0 "$vadsp" record --sof $q --frames 24000 "$work/vm1.sock" "$work/rec.wav"
expect_out "^recorded 24000 frames (S16_LE, 48000 Hz, 2 channels) from PCM 'Stereo' "
expect_out "from PCM 'Stereo' (SOF stream 0, host component [0-9]*) to $work/rec.wav, "
expect_rc 0 "$vadsp" play --sof $q --pcm Stereo --record "$work/duplex.wav" \
	"$work/vm1.sock" "$work/play.wav"
expect_out "^played 48000 frames .* on PCM 'Stereo' (SOF stream [01], "
expect_out "^recorded 48000 frames to $work/duplex.wav$"
expect_rc 1 "$vadsp" play --sof --pcm None "$work/vm1.sock" "$work/play.wav"
expect_err "the topology has no PCM 'None' with playback"
# A stock guest on the same socket gets the plain device.
expect_rc 0 "$vadsp" play $q "$work/vm1.sock" "$work/play.wav"
expect_out "^played 48000 frames (S16, 48000 Hz, 2 channels, 960-frame periods) on stream 0$"
# No extension without sof = yes.
expect_rc 1 "$vadsp" play --sof "$work/vm2.sock" "$work/play.wav"
expect_err "does not offer the SOF IPC3 extension"

# --- vadsp top while a DSP-aware guest plays: its stream, as a SOF stream
"$vadsp" play --sof $q "$work/vm1.sock" "$work/top.wav" >"$work/top-play.out" 2>&1 &
player=$!
i=0
while :; do
	expect_rc 0 "$vadsp" top --once "$work/mgmt.sock"
	grep -q "^vm1 .* [0-9] SOF comp [0-9]* *playback ACTIVE  *S16  *48000  *2 " "$work/out" &&
		break
	i=$((i + 1))
	[ $i -gt 200 ] && fail "top never showed vm1's SOF stream playing"
	sleep 0.02
done
wait "$player" || fail "the player failed: $(cat "$work/top-play.out")"

kill -TERM "$pid"
wait "$pid"
rc=$?
pid=
[ "$rc" -eq 0 ] || fail "vadspd exited $rc after SIGTERM"

# The host file holds the played file bit-exact three times (S16 << 16, after the 20 ms volume
# start ramp); the recordings are stretches of the host input file.
python3 - "$work" <<'PY' || fail "the files are not what was played and recorded"
import struct, sys, wave
d = sys.argv[1]
def left(path, width):
    w = wave.open(path)
    assert w.getsampwidth() == width and w.getnchannels() == 2, path
    n = w.getnframes()
    raw = w.readframes(n)
    code = '<i' if width == 4 else '<h'
    return [struct.unpack_from(code, raw, 2 * width * k)[0] for k in range(n)]
def find(hay, probe):
    return [k for k in range(len(hay) - len(probe) + 1)
            if hay[k] == probe[0] and hay[k:k + len(probe)] == probe]
out = left(d + '/host-out.wav', 4)
played = [v << 16 for v in left(d + '/play.wav', 2)]
# the three plays (sof, duplex, plain) each from frame 2000 of the file (the volume start ramp)
starts = find(out, played[2000:2100])
assert len(starts) == 3, 'the played file is in the host output %d times, not 3' % len(starts)
for s in starts:
    got = out[s:s + 46000]
    bad = sum(1 for a, b in zip(got, played[2000:48000]) if a != b)
    assert len(got) == 46000 and bad == 0, 'play at %d: %d frames differ' % (s, bad)
inp = left(d + '/in.wav', 2)
for name, frames in (('rec.wav', 24000), ('duplex.wav', 48000)):
    rec = left(d + '/' + name, 2)
    assert len(rec) == frames, name
    first = next(k for k in range(frames) if rec[k])
    offs = find(inp, rec[first + 2000:first + 2100])
    assert len(offs) == 1, '%s: found %d times in the host input' % (name, len(offs))
    tail = rec[first + 2000:]
    bad = sum(1 for k, v in enumerate(tail) if v != inp[offs[0] + k])
    assert bad == 0, '%s: %d of %d frames differ from the host input' % (name, bad, len(tail))
PY
echo "PASS"
