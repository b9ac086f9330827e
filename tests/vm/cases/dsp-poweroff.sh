#!/bin/sh
# vm-dsp-poweroff and vm-dsp-kill, guest side (both guests run it: GUEST=1 or 2).
#   Guest 2 (stays) plays $SHARE/stays.wav (20 s of S16 noise) and says so (share/playing-2);
#     once run-guest reports guest 1's QEMU gone (share/exited-1), it plays 1.5 s more and
#     stops aplay (SIGINT).
#   Guest 1 (leaves) waits for guest 2 to play, plays $SHARE/leaves.wav (440 Hz, amplitude
#     0.25, 20 s) for 2.5 s after its stream runs and then, with aplay still running, LEAVE=poweroff: ends its
#     test, so that init powers the guest off (poweroff -f) mid-stream; LEAVE=kill: asks
#     run-guest to kill its QEMU with SIGKILL (share/kill-1, run-guest --kill-guest 1:kill-1).
# The host then finds guest 2's noise in vadspd's output sample for sample across guest 1's
# departure, guest 1's sine added to it before (tone.py departure), and vadspd's log shows
# guest 1's cleanup.
. /vmtest/lib.sh

check card0-control wait_for /dev/snd/controlC0
check pcm0-playback-node wait_for /dev/snd/pcmC0D0p

if [ "$GUEST" = 2 ]; then
	cp "$SHARE/stays.wav" /tmp/play.wav
	section play until guest 1 is gone
	aplay -q -D hw:0,0 /tmp/play.wav &
	player=$!
	check playback-running pcm_running p
	signal_file playing-2
	# Guest 1 may boot much later on a loaded machine: wait up to 90 s.
	check guest-1-gone wait_for "$SHARE/exited-1" 900
	sleep 1.5
	check aplay-still-playing kill -0 $player
	kill -INT $player
	wait $player
	check no-kernel-warning sh -c '! dmesg | grep -E "WARNING:|Call Trace|BUG:"'
	check no-io-timeout sh -c '! dmesg | grep -E "virtio_snd.*(timeout|failed to)"'
	finish
fi

cp "$SHARE/leaves.wav" /tmp/play.wav
check guest-2-playing wait_for "$SHARE/playing-2" 900
section play and leave
aplay -q -D hw:0,0 /tmp/play.wav &
player=$!
check playback-running pcm_running p
sleep 2.5
check aplay-playing kill -0 $player
if [ "$LEAVE" = kill ]; then
	echo "asking for SIGKILL"
	signal_file kill-1
	sleep 60
	check killed false
fi
echo "powering off with aplay running"
finish
