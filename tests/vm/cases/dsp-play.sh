#!/bin/sh
# vm-dsp-play(-s32), guest side: aplay of $SHARE/play.wav (stereo 48 kHz pseudo-random
# noise the host wrote, S16_LE or with BITS=32 S32_LE) through the `stereo` topology's PCM
# at 0 dB. The host then finds the file in vadspd's output, sample for sample (tone.py
# match).
. /vmtest/lib.sh

check card0-control wait_for /dev/snd/controlC0
check pcm0-playback-node wait_for /dev/snd/pcmC0D0p
cp "$SHARE/play.wav" /tmp/play.wav
check_eq pv-0db "$(amixer -c 0 cget name='Master Playback Volume' | grep -o ': values=.*')" \
	': values=64,64'

section play
timeout 60 aplay -D hw:0,0 /tmp/play.wav 2>/tmp/aplay.err
check aplay-exit [ $? -eq 0 ]
cat /tmp/aplay.err
check aplay-format-s${BITS:-16} grep -q "Signed ${BITS:-16} bit Little Endian" /tmp/aplay.err
check no-kernel-warning sh -c '! dmesg | grep -E "WARNING:|Call Trace|BUG:"'
check no-io-timeout sh -c '! dmesg | grep -E "virtio_snd.*(timeout|failed to)"'
finish
