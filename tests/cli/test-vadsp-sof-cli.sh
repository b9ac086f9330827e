#!/bin/sh
# vadsp play/record --sof end to end: vadspd with a host DSP (host.tplg, DAI0.OUT into a WAV
# file, DAI0.IN from one) and two guests on stereo.tplg, vm1 with the SOF IPC3 extension
# (sof = yes), vm2 without. vadsp play --sof on vm1 reaches the host file bit-exact;
# vadsp record --sof on vm1 gets the host input file; play --sof --record does both at
# once; a plain guest still plays on vm1; --sof on vm2 fails cleanly; usage errors.
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

# --- the signals: a ramp that never repeats within 10 s (the host input), and the played file
python3 - "$work" <<'PY' || fail "cannot write the test WAV files"
import struct, sys, wave
def ramp(i):
    return (i * 7919 + (i >> 7) * 13) % 50000 - 25000
def write(path, frames, offset):
    w = wave.open(path, 'wb')
    w.setnchannels(2)
    w.setsampwidth(2)
    w.setframerate(48000)
    w.writeframes(b''.join(struct.pack('<hh', ramp(i + offset), ramp(i + offset))
                           for i in range(frames)))
    w.close()
d = sys.argv[1]
write(d + '/in.wav', 10 * 48000, 0)
write(d + '/play.wav', 48000, 100000)
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
expect_rc 0 "$vadsp" play --sof "$work/vm1.sock" "$work/play.wav"
expect_out "^played 48000 frames (S16_LE, 48000 Hz, 2 channels, 480-frame periods) on PCM 'Stereo' (SOF stream 0, host component [0-9]*), [0-9]* positions, 0 xruns$"
expect_rc 0 "$vadsp" record --sof --frames 24000 "$work/vm1.sock" "$work/rec.wav"
expect_out "^recorded 24000 frames (S16_LE, 48000 Hz, 2 channels) from PCM 'Stereo' (SOF stream 0, host component [0-9]*) to $work/rec.wav"
expect_rc 0 "$vadsp" play --sof --pcm Stereo --record "$work/duplex.wav" "$work/vm1.sock" \
	"$work/play.wav"
expect_out "^played 48000 frames .* on PCM 'Stereo' (SOF stream [01], "
expect_out "^recorded 48000 frames to $work/duplex.wav$"
expect_rc 1 "$vadsp" play --sof --pcm None "$work/vm1.sock" "$work/play.wav"
expect_err "the topology has no PCM 'None' with playback"
# A stock guest on the same socket gets the plain device.
expect_rc 0 "$vadsp" play "$work/vm1.sock" "$work/play.wav"
expect_out "^played 48000 frames (S16, 48000 Hz, 2 channels, 480-frame periods) on stream 0$"
# No extension without sof = yes.
expect_rc 1 "$vadsp" play --sof "$work/vm2.sock" "$work/play.wav"
expect_err "does not offer the SOF IPC3 extension"

kill -TERM "$pid"
wait "$pid"
rc=$?
pid=
[ "$rc" -eq 0 ] || fail "vadspd exited $rc after SIGTERM"

# The host file holds the played file bit-exact (S16 << 16, after the 20 ms volume start
# ramp); the recordings are stretches of the host input file.
python3 - "$work" <<'PY' || fail "the files are not what was played and recorded"
import struct, sys, wave
d = sys.argv[1]
def ramp(i):
    return (i * 7919 + (i >> 7) * 13) % 50000 - 25000
w = wave.open(d + '/host-out.wav')
n = w.getnframes()
raw = w.readframes(n)
width = w.getsampwidth()
left = [struct.unpack_from('<i', raw, 8 * k)[0] for k in range(n)] if width == 4 else None
assert left is not None, 'host file is not 32-bit'
want = [ramp(100000 + i) << 16 for i in range(48000)]
# each play (three of them) starts somewhere: find every start from frame 2000 of the file
starts = []
i = 0
key = want[2000:2100]
while i + 100 <= n:
    if left[i] == key[0] and left[i:i + 100] == key:
        starts.append(i - 2000)
        i += 48000 - 2000
    else:
        i += 1
assert len(starts) >= 3, 'the played file is in the host output %d times, not 3' % len(starts)
for s in starts:
    got = left[s + 2000:s + 48000]
    bad = sum(1 for a, b in zip(got, want[2000:48000]) if a != b)
    assert len(got) == 46000 and bad == 0, 'play at %d: %d frames differ' % (s, bad)
inp = [ramp(i) for i in range(10 * 48000)]
for name, frames in (('rec.wav', 24000), ('duplex.wav', 48000)):
    r = wave.open(d + '/' + name)
    assert r.getnframes() == frames and r.getsampwidth() == 2, name
    data = r.readframes(frames)
    l = [struct.unpack_from('<h', data, 4 * k)[0] for k in range(frames)]
    first = next(k for k in range(frames) if l[k])
    probe = l[first + 2000:first + 2100]
    off = next(k for k in range(len(inp) - 100) if inp[k] == probe[0] and inp[k:k + 100] == probe)
    tail = l[first + 2000:]
    bad = sum(1 for k, v in enumerate(tail) if v != inp[off + k])
    assert bad == 0, '%s: %d of %d frames differ from the host input' % (name, bad, len(tail))
PY
echo "PASS"
