#!/bin/sh
# vadspd and the vadsp guest commands end to end: vadspd from a configuration file with two
# guests and a management socket; vadsp info, ctl, play, record (as process guests of those
# sockets) and top --once (from the management socket); help texts and exit statuses
# (0 success, 1 failure, 2 usage error) of every command.
# usage: test-vadsp-cli.sh VADSPD VADSP TOPOLOGY_DIR
set -u
vadspd=$1
vadsp=$2
topo=$3
work=$(mktemp -d /tmp/vadsp-cli-XXXXXX)
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
	[ -f "$work/vadspd.log" ] && { echo "--- vadspd:"; tail -20 "$work/vadspd.log"; }
	exit 1
}

# expect_rc RC CMD...: run CMD (stdout in $work/out, stderr in $work/err); check its status.
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

# --- help texts and usage errors
expect_rc 0 "$vadsp" --help
for c in info ctl play record top; do
	expect_out "^  $c "
done
for c in info ctl play record top; do
	expect_rc 0 "$vadsp" "$c" --help
	expect_out "^Usage: vadsp $c "
	expect_rc 0 "$vadsp" help "$c"
	expect_out "^Usage: vadsp $c "
	expect_rc 2 "$vadsp" "$c"
	expect_rc 2 "$vadsp" "$c" --bogus "$work/x.sock"
	expect_err "unknown option '--bogus'"
done
expect_rc 2 "$vadsp" play "$work/x.sock"
expect_rc 2 "$vadsp" record --seconds=-1 "$work/x.sock" "$work/r.wav"
expect_rc 2 "$vadsp" record --seconds 1 --frames 10 "$work/x.sock" "$work/r.wav"
expect_rc 2 "$vadsp" play --format S8 "$work/x.sock" "$work/t.wav"
expect_rc 2 "$vadsp" top --delay 0 "$work/m.sock"
expect_rc 1 "$vadsp" info "$work/none.sock"
expect_err "$work/none.sock: No such file or directory"
expect_rc 1 "$vadsp" top --once "$work/none.sock"
expect_rc 0 "$vadspd" --help
expect_out "--config=FILE"
expect_out "--mgmt-socket=PATH"
expect_out "--log-level=LEVEL"

# --- a bad configuration: exit 2 with FILE:LINE, nothing listens
printf '[guest vm1]\nsocket = %s/vm1.sock\ncontrol = yes\n' "$work" >"$work/bad.conf"
expect_rc 2 "$vadspd" --config "$work/bad.conf"
expect_err "^vadspd: $work/bad.conf:3: unknown key 'control' in \[guest\]"
[ -e "$work/vm1.sock" ] && fail "a socket exists after a refused configuration"

# --- the daemon
cat >"$work/vadspd.conf" <<CONF
# two guests and a management socket
[daemon]
log-level = info
mgmt-socket = $work/mgmt.sock

[host]
topology = $topo/host.tplg
dai.DAI0.OUT = file:$work/host-out.wav
dai.DAI0.IN = null

[guest vm1]
socket = $work/vm1.sock
topology = $topo/stereo.tplg
controls = yes

[guest vm2]
socket = $work/vm2.sock
topology = $topo/multi.tplg
controls = yes
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

# --- info
expect_rc 0 "$vadsp" info "$work/vm1.sock"
expect_out "^device: 2 jacks, 2 streams, 2 channel maps, 4 controls$"
expect_out "^  0: nid 0, playback, channels 2..2$"
expect_out "formats: S16 S32$"
expect_out "rates: 48000$"
expect_out "^  0: nid 0, playback, 2 channels: FL FR$"
expect_out "^  0: 'Master Playback Volume' index 0, INTEGER VOLUME, 2 values, read,write,tlv-read$"
expect_out "dB scale: -64.00 dB at the minimum, 1.00 dB per step, the minimum mutes"
expect_out "^  1: 'Master Playback Switch' index 0, BOOLEAN MUTE"
expect_out "value: on on"
expect_rc 0 "$vadsp" info "$work/vm2.sock"
expect_out "^device: 3 jacks, 3 streams, 3 channel maps, 7 controls$"
expect_out "'Music EQ' index 0, BYTES"
expect_rc 0 "$vadsp" info --no-controls "$work/vm2.sock"
expect_out "^device: 3 jacks, 3 streams, 3 channel maps, 0 controls (VIRTIO_SND_F_CTLS not negotiated)$"

# --- ctl (each run is a new connection: its card starts from the topology's values)
expect_rc 0 "$vadsp" ctl "$work/vm1.sock"
[ "$(wc -l <"$work/out")" -eq 4 ] || fail "ctl listed $(wc -l <"$work/out") controls, not 4"
expect_out "^0: 'Master Playback Volume' (INTEGER 0..64): 64 64$"
expect_rc 0 "$vadsp" ctl "$work/vm1.sock" "Master Playback Volume" 10
expect_out "^0: 'Master Playback Volume' (INTEGER 0..64): 10 10$"
expect_rc 0 "$vadsp" ctl "$work/vm1.sock" "Master Playback Volume" 5 6
expect_out "): 5 6$"
expect_rc 0 "$vadsp" ctl "$work/vm1.sock" 1 off
expect_out "^1: 'Master Playback Switch' (BOOLEAN): off off$"
expect_rc 0 "$vadsp" ctl "$work/vm1.sock" "Capture Volume"
expect_out "^2: 'Capture Volume' (INTEGER 0..70): 50 50$"
expect_rc 2 "$vadsp" ctl "$work/vm1.sock" "Master Playback Volume" 65
expect_err "takes a whole number from 0 to 64, not '65'"
expect_rc 2 "$vadsp" ctl "$work/vm1.sock" "Master Playback Volume" 1 2 3
expect_err "has 2 values: give 1 (for all) or 2"
expect_rc 2 "$vadsp" ctl "$work/vm1.sock" "Master Playback Switch" maybe
expect_rc 1 "$vadsp" ctl "$work/vm1.sock" "No Such Control"
expect_err "no control 'No Such Control' index 0"
expect_rc 1 "$vadsp" ctl --index 1 "$work/vm1.sock" "Master Playback Volume"
expect_err "no control 'Master Playback Volume' index 1"
expect_rc 2 "$vadsp" ctl "$work/vm2.sock" "Music EQ" 1
expect_err "is a BYTES control"

# --- play and record
python3 - "$work" <<'PY' || fail "cannot write the test WAV files"
import math, struct, sys, wave
def tone(path, rate, channels, width, frames):
    w = wave.open(path, 'wb')
    w.setnchannels(channels)
    w.setsampwidth(width)
    w.setframerate(rate)
    amp = 0.25 * (1 << (8 * width - 1))
    fmt = '<' + ('h' if width == 2 else 'i') * channels
    w.writeframes(b''.join(struct.pack(fmt, *([int(amp * math.sin(2 * math.pi * 440 * i / rate))] * channels))
                           for i in range(frames)))
    w.close()
d = sys.argv[1]
tone(d + '/s16.wav', 48000, 2, 2, 24000)
tone(d + '/s32.wav', 48000, 2, 4, 4800)
tone(d + '/long.wav', 48000, 2, 2, 96000)
tone(d + '/cd.wav', 44100, 2, 2, 4410)
tone(d + '/mono.wav', 48000, 1, 2, 4800)
PY
expect_rc 0 "$vadsp" play "$work/vm1.sock" "$work/s16.wav"
expect_out "^played 24000 frames (S16, 48000 Hz, 2 channels, 480-frame periods) on stream 0$"
expect_rc 0 "$vadsp" play --period-ms 5 --periods 3 "$work/vm1.sock" "$work/s32.wav"
expect_out "^played 4800 frames (S32, 48000 Hz, 2 channels, 240-frame periods) on stream 0$"
expect_rc 0 "$vadsp" play --format S16 --stream 0 "$work/vm1.sock" "$work/s32.wav"
expect_out "^played 4800 frames (S16, 48000 Hz, 2 channels"
expect_rc 0 "$vadsp" play "$work/vm2.sock" "$work/s16.wav"
expect_out "on stream 0$"
expect_rc 1 "$vadsp" play "$work/vm1.sock" "$work/cd.wav"
expect_err "stream 0 cannot play $work/cd.wav: the stream does not offer 44100 Hz"
expect_rc 1 "$vadsp" play "$work/vm1.sock" "$work/mono.wav"
expect_err "the stream takes 2 to 2 channels, not 1"
expect_rc 1 "$vadsp" play --stream 1 "$work/vm1.sock" "$work/s16.wav"
expect_err "that stream is a capture stream"
expect_rc 1 "$vadsp" play "$work/vm1.sock" "$work/none.wav"

expect_rc 0 "$vadsp" record --seconds 0.25 "$work/vm1.sock" "$work/rec.wav"
expect_out "^recorded 12000 frames (S16, 48000 Hz, 2 channels) from stream 1 to $work/rec.wav$"
expect_rc 0 "$vadsp" record --frames 1000 --format S32 "$work/vm1.sock" "$work/rec32.wav"
expect_out "^recorded 1000 frames (S32, 48000 Hz, 2 channels)"
python3 - "$work" <<'PY' || fail "the recorded files are not what was recorded"
import sys, wave
d = sys.argv[1]
for name, frames, width in (('rec.wav', 12000, 2), ('rec32.wav', 1000, 4)):
    w = wave.open(d + '/' + name)
    assert w.getnframes() == frames, (name, w.getnframes())
    assert w.getsampwidth() == width and w.getnchannels() == 2 and w.getframerate() == 48000
    data = w.readframes(frames)
    assert len(data) == frames * 2 * width and data.count(0) == len(data), name + ': not silence'
PY
expect_rc 1 "$vadsp" record --stream 0 --frames 10 "$work/vm1.sock" "$work/r.wav"
expect_err "that stream is a playback stream"
expect_rc 1 "$vadsp" record --rate 44100 --frames 10 "$work/vm1.sock" "$work/r.wav"
expect_err "the stream does not offer 44100 Hz"
expect_rc 0 "$vadsp" record --stream 2 --frames 480 "$work/vm2.sock" "$work/mic.wav"
expect_out "^recorded 480 frames (S16, 48000 Hz, 2 channels) from stream 2"

# --- top, while a guest plays
expect_rc 0 "$vadsp" top --once "$work/mgmt.sock"
expect_out "^vadspd: 2 guests at "
expect_out "^GUEST .* CONN .* STATE .* FRAMES .* XRUNS  *ANSWER$"
expect_out "^vm1 .*(not connected; 0 refused)$"
"$vadsp" play "$work/vm1.sock" "$work/long.wav" >"$work/play.out" 2>&1 &
player=$!
i=0
while :; do
	expect_rc 0 "$vadsp" top --once "$work/mgmt.sock"
	grep -q "^vm1 .* 0 Stereo .* playback START  *S16  *48000  *2 " "$work/out" && break
	i=$((i + 1))
	[ $i -gt 200 ] && fail "top never showed vm1 playing"
	sleep 0.02
done
expect_out "^vm1 .* playback START .* [0-9][0-9]*\.[0-9]$"
expect_out "^vm2 .*(not connected"
wait "$player" || fail "the player failed: $(cat "$work/play.out")"
grep -q "^played 96000 frames" "$work/play.out" || fail "player: $(cat "$work/play.out")"

# --- a guest that stops feeding for a while (stopped 200 ms: an underrun in the engine)
# plays on when it feeds again: the device completes its messages again
"$vadsp" play --period-ms 2 "$work/vm1.sock" "$work/long.wav" >"$work/play.out" 2>&1 &
player=$!
i=0
while :; do
	expect_rc 0 "$vadsp" top --once "$work/mgmt.sock"
	grep -q "^vm1 .* 0 Stereo .* playback START " "$work/out" && break
	i=$((i + 1))
	[ $i -gt 200 ] && fail "top never showed vm1 playing"
	sleep 0.02
done
sleep 0.2
kill -STOP "$player"
sleep 0.2
kill -CONT "$player"
wait "$player" || fail "the player failed after its pause: $(cat "$work/play.out")"
grep -q "^played 96000 frames" "$work/play.out" || fail "player: $(cat "$work/play.out")"

# --- SIGTERM: exit 0, sockets gone, log lines name their guests
kill -TERM "$pid"
wait "$pid"
rc=$?
pid=
[ "$rc" -eq 0 ] || fail "vadspd exited $rc after SIGTERM"
for s in vm1 vm2 mgmt; do
	[ -e "$work/$s.sock" ] && fail "$s.sock left behind"
done
grep -q "^info: \[vm1\] snd: guest [0-9]* connected: 2 streams, 2 jacks, 4 controls$" \
	"$work/vadspd.log" || fail "no connection line naming vm1"
grep -q "^info: \[vm2\] vhost-user: virtio-snd#[0-9]*: front-end connected$" \
	"$work/vadspd.log" || fail "no vhost-user line naming vm2"
echo "PASS"
