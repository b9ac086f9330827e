#!/bin/sh
# The ALSA plugin (libasound_module_pcm_vadsp.so) with alsa-utils against a real vadspd: a
# [host] section on host.tplg writing its output to a WAV file and reading its input from
# one, a guest on stereo.tplg. Nothing is installed: ALSA_CONFIG_PATH names alsa.conf and a
# private file that points pcm_type.vadsp at the built module and includes the shipped
# 50-vadsp.conf.
#   - aplay -M (mmap access) of a known 16-bit WAV arrives bit-exact in the host output
#     (stereo.tplg at 0 dB: each sample << 16 in s32), after the volume's 20 ms start ramp;
#   - arecord -M captures the host input file (looped) sample for sample;
#     (read/write access is the cmocka test alsa-plugin's and speaker-test's)
#   - speaker-test -t sine -l 1 exits 0 and its 440 Hz tone is in the host output, on the
#     left channel and then on the right;
#   - one aplay of files in two formats (S32, S16, S32) plays them all;
#   - errors: a socket that does not exist, a stream of the other direction (sof: a PCM
#     the topology lacks, and a guest without the extension), a channel count the stream
#     does not take, and vadspd killed while aplay plays: each a clear message and a
#     failure exit, never a hang.
# MODE plain (the default) plays as a stock virtio-snd guest; sof as the DSP-aware guest
# (SOF=yes; the guest's section has sof = yes).
# usage: test-alsa-plugin.sh VADSPD PLUGIN TOPOLOGY_DIR PLUGIN_CONF [MODE]
# VADSP_ALSA_PRELOAD: a sanitizer runtime the alsa-utils programs need preloaded to load a
# sanitized plugin (their own leaks are not checked).
set -u
vadspd=$1
plugin=$2
topo=$3
plugin_conf=$4
mode=${5:-plain}
work=$(mktemp -d /tmp/vadsp-alsa-plugin-XXXXXX)
pid=
pid2=
# How alsa-utils programs run: with the sanitizer runtime of a sanitized plugin preloaded.
if [ -n "${VADSP_ALSA_PRELOAD:-}" ]; then
	alsa="env LD_PRELOAD=$VADSP_ALSA_PRELOAD ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0"
else
	alsa=env
fi

cleanup() {
	[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
	[ -n "$pid2" ] && kill -KILL "$pid2" 2>/dev/null
	[ -n "${VADSP_KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*"
	echo "--- stdout:"; cat "$work/out" 2>/dev/null
	echo "--- stderr:"; cat "$work/err" 2>/dev/null
	for l in "$work"/vm*.log; do
		[ -f "$l" ] && { echo "--- $l:"; tail -20 "$l"; }
	done
	exit 1
}

# run RC CMD...: CMD under a 30 s guard (stdout in $work/out, stderr in $work/err); its
# status must be RC ('fail' for any failure other than the guard's 124).
run() {
	want=$1
	shift
	timeout -k 5 30 "$@" >"$work/out" 2>"$work/err"
	rc=$?
	[ "$rc" -eq 124 ] && fail "'$*' hung (killed after 30 s)"
	if [ "$want" = fail ]; then
		[ "$rc" -ne 0 ] || fail "'$*' succeeded"
	else
		[ "$rc" -eq "$want" ] || fail "'$*' exited $rc, not $want"
	fi
}

expect_err() {
	grep -q -- "$1" "$work/err" || fail "error output lacks '$1'"
}

# start_daemon NAME CONF: vadspd in the background, once its guest socket listens.
start_daemon() {
	"$vadspd" --config "$2" 2>"$work/$1.log" &
	started=$!
	i=0
	while [ ! -S "$work/$1.sock" ]; do
		i=$((i + 1))
		[ $i -gt 500 ] && fail "vadspd did not open $work/$1.sock"
		kill -0 "$started" 2>/dev/null || fail "vadspd exited: $(cat "$work/$1.log")"
		sleep 0.02
	done
}

for t in aplay arecord speaker-test python3 timeout; do
	command -v "$t" >/dev/null || { echo "SKIP: no $t"; exit 77; }
done

cat >"$work/asoundrc" <<CONF
pcm_type.vadsp {
	lib "$plugin"
}
<$plugin_conf>
CONF
ALSA_CONFIG_PATH="/usr/share/alsa/alsa.conf:$work/asoundrc"
export ALSA_CONFIG_PATH

# A signal that never repeats within the test (as test-daemon-vadspd-dsp.c's).
python3 - "$work" <<'PY' || fail "cannot write the test WAV files"
import struct, sys, wave
def sig(i):
    return (i * 7919 + (i >> 7) * 13) % 50000 - 25000
def write(path, frames, channels=2, rate=48000):
    w = wave.open(path, 'wb')
    w.setnchannels(channels)
    w.setsampwidth(2)
    w.setframerate(rate)
    w.writeframes(b''.join(struct.pack('<' + 'h' * channels, *([sig(i)] * channels))
                           for i in range(frames)))
    w.close()
d = sys.argv[1]
write(d + '/play.wav', 72000)		# 1.5 s
write(d + '/in.wav', 4 * 48000)		# the host's input, looped
write(d + '/long.wav', 10 * 48000)
write(d + '/mono.wav', 4800, channels=1)
w = wave.open(d + '/s32.wav', 'wb')
w.setnchannels(2)
w.setsampwidth(4)
w.setframerate(48000)
w.writeframes(b''.join(struct.pack('<ii', sig(i) << 16, sig(i) << 16) for i in range(9600)))
w.close()
PY

if [ "$mode" = sof ]; then
	sof=",SOF=yes"
	sof_conf="sof = yes"
	capture=""
else
	sof=""
	sof_conf=""
	capture=",STREAM=1"
fi
cat >"$work/vadspd.conf" <<CONF
[host]
topology = $topo/host.tplg
dai.DAI0.OUT = file:$work/host-out.wav
dai.DAI0.IN = file:$work/in.wav?loop

[guest vm1]
socket = $work/vm1.sock
topology = $topo/stereo.tplg
$sof_conf

[guest plain]
socket = $work/plain.sock
topology = $topo/stereo.tplg
CONF
start_daemon vm1 "$work/vadspd.conf"
pid=$started

# --- errors first (they leave nothing in the host output)
run fail $alsa aplay -q -D "vadsp:SOCKET=$work/none.sock$sof" "$work/play.wav"
expect_err "vadsp: $work/none.sock: No such file or directory"
if [ "$mode" = sof ]; then
	run fail $alsa aplay -q -D "vadsp:SOCKET=$work/vm1.sock,STREAM=1$sof" "$work/play.wav"
	expect_err "the guest topology has 1 PCMs, no PCM 1"
	run fail $alsa aplay -q -D "vadsp:SOCKET=$work/plain.sock$sof" "$work/play.wav"
	expect_err "vadsp: $work/plain.sock does not offer the SOF IPC3 extension"
else
	run fail $alsa aplay -q -D "vadsp:SOCKET=$work/vm1.sock,STREAM=1" "$work/play.wav"
	expect_err "stream 1 is a capture stream"
	run fail $alsa arecord -q -D "vadsp:SOCKET=$work/vm1.sock,STREAM=0" -f S16_LE -r 48000 \
		-c 2 -d 1 "$work/x.wav"
	expect_err "stream 0 is a playback stream"
fi
run fail $alsa aplay -q -D "vadsp:SOCKET=$work/vm1.sock$sof" "$work/mono.wav"
expect_err "Channels count non available"

# --- aplay, then speaker-test, into the host output
run 0 $alsa aplay -M -D "vadsp:SOCKET=$work/vm1.sock$sof" "$work/play.wav"
grep -q "underrun" "$work/err" && fail "aplay reported an underrun"
sleep 0.3
run 0 $alsa speaker-test -D "vadsp:SOCKET=$work/vm1.sock$sof" -c 2 -r 48000 -F S16_LE -t sine -l 1
grep -q "^ 1 - Front Right" "$work/out" || fail "speaker-test did not play both channels"

# --- arecord of the host input file
run 0 $alsa arecord -M -q -D "vadsp:SOCKET=$work/vm1.sock$capture$sof" -f S16_LE -r 48000 -c 2 -d 1 \
	"$work/rec.wav"

kill -TERM "$pid"
wait "$pid"
rc=$?
pid=
[ "$rc" -eq 0 ] || fail "vadspd exited $rc after SIGTERM"

python3 - "$work" <<'PY' || fail "the host output or the recording is not what was played"
import math, struct, sys, wave
d = sys.argv[1]
def sig(i):
    return (i * 7919 + (i >> 7) * 13) % 50000 - 25000
SKIP = 2000		# frames: the stereo topology's volume start ramp, and more

w = wave.open(d + '/host-out.wav')
assert w.getsampwidth() == 4 and w.getnchannels() == 2, 'host output is not s32 stereo'
n = w.getnframes()
raw = struct.unpack('<%di' % (2 * n), w.readframes(n))
left, right = raw[0::2], raw[1::2]

# aplay: where play.wav frame SKIP is, then every later frame on both channels
first = next(i for i, v in enumerate(left) if v)
off = None
for o in range(max(0, first - 64), first + 1):
    if all(left[o + SKIP + k] == sig(SKIP + k) << 16 for k in range(100)):
        off = o
        break
assert off is not None, 'aplay\'s audio not found near the first sound at %d' % first
bad = sum(1 for k in range(SKIP, 72000)
          if left[off + k] != sig(k) << 16 or right[off + k] != sig(k) << 16)
print('aplay: first frame at %d, %d frames compared, %d differ' % (off, 72000 - SKIP, bad))
assert bad == 0

# speaker-test: after aplay's audio, a 440 Hz tone on the left, then on the right
def tone(ch, start):
    s = next((i for i in range(start, n) if ch[i]), None)
    assert s is not None, 'no tone after frame %d' % start
    e = s
    while e < n and any(ch[e:e + 4800]):
        e += 4800
    seg = ch[s + SKIP:e - 4800]
    assert len(seg) > 24000, 'tone of %d frames' % len(seg)
    cross = sum(1 for a, b in zip(seg, seg[1:]) if (a < 0) != (b < 0))
    hz = cross / 2 / (len(seg) / 48000)
    peak = max(abs(v) for v in seg) / 2 ** 31
    return s, e, hz, peak
ls, le, lhz, lpeak = tone(left, off + 72000)
rs, re_, rhz, rpeak = tone(right, le)
print('speaker-test: left %d-%d %.1f Hz peak %.3f, right %d-%d %.1f Hz peak %.3f' %
      (ls, le, lhz, lpeak, rs, re_, rhz, rpeak))
assert abs(lhz - 440) < 2 and abs(rhz - 440) < 2
assert lpeak > 0.1 and rpeak > 0.1
assert not any(right[ls + SKIP:le - 4800]), 'the left tone is on the right channel too'

# arecord: the host input file, sample for sample, past the capture ramp
r = wave.open(d + '/rec.wav')
m = r.getnframes()
assert m == 48000 and r.getnchannels() == 2 and r.getsampwidth() == 2, (m, r.getnchannels())
rec = struct.unpack('<%dh' % (2 * m), r.readframes(m))
rl, rr = rec[0::2], rec[1::2]
first = next(i for i, v in enumerate(rl) if v)
at = None
# 2000 frames to align: runs of 100 recur in the signal at other offsets
for k in range(4 * 48000):
    if all(rl[first + SKIP + j] == sig((k + j) % (4 * 48000)) for j in range(2000)):
        at = k
        break
assert at is not None, 'the input file is not in the recording'
bad = sum(1 for i in range(first + SKIP, m)
          if rl[i] != sig((at + i - first - SKIP) % (4 * 48000)) or rr[i] != rl[i])
print('arecord: file frame %d at frame %d, %d frames compared, %d differ' %
      (at, first + SKIP, m - first - SKIP, bad))
assert bad == 0
PY

# --- vadspd killed while aplay plays: aplay fails with a message, soon
sed "s|$work/host-out.wav|$work/host-out2.wav|; s|vm1.sock|vm2.sock|; s|plain.sock|plain2.sock|" \
	"$work/vadspd.conf" \
	>"$work/vadspd2.conf"
start_daemon vm2 "$work/vadspd2.conf"
pid2=$started
# One aplay, files of two formats: hw_params again with what libasound's refinement leaves.
run 0 $alsa aplay -q -D "vadsp:SOCKET=$work/vm2.sock$sof" "$work/s32.wav" "$work/play.wav" \
	"$work/s32.wav"
timeout -k 5 30 $alsa aplay -q -D "vadsp:SOCKET=$work/vm2.sock$sof" "$work/long.wav" >"$work/out" \
	2>"$work/err" &
player=$!
sleep 1
kill -KILL "$pid2"
wait "$pid2" 2>/dev/null
pid2=
wait "$player"
rc=$?
[ "$rc" -eq 124 ] && fail "aplay hung after vadspd died"
[ "$rc" -ne 0 ] || fail "aplay succeeded although vadspd died"
expect_err "vadsp: "
echo "PASS"
