#!/bin/sh
# vm-dsp-two-guests, guest side (run by both guests, GUEST=1 or 2): each guest waits until
# both have their card, then plays $SHARE/tone-$GUEST.wav (guest 1: 440 Hz, guest 2:
# 1000 Hz, both channels, amplitude 0.25, 4 s) through the `stereo` topology at 0 dB.
# vadspd mixes the two guests into one host output; the host then finds both tones in it
# at their own amplitude, at the same time (tone.py tones).
. /vmtest/lib.sh

other=$((3 - GUEST))
check card0-control wait_for /dev/snd/controlC0
check pcm0-playback-node wait_for /dev/snd/pcmC0D0p
cp "$SHARE/tone-$GUEST.wav" /tmp/tone.wav
signal_file "ready-$GUEST"
# The other QEMU may boot much later on a loaded machine: wait up to 90 s.
check "guest-$other-ready" wait_for "$SHARE/ready-$other" 900

section play
timeout 60 aplay -D hw:0,0 /tmp/tone.wav
check aplay-exit [ $? -eq 0 ]
check no-kernel-warning sh -c '! dmesg | grep -E "WARNING:|Call Trace|BUG:"'
check no-io-timeout sh -c '! dmesg | grep -E "virtio_snd.*(timeout|failed to)"'
finish
