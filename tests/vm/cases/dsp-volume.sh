#!/bin/sh
# vm-dsp-volume, guest side: aplay of $SHARE/sine.wav (4 s of 1 kHz at -6 dBFS on both
# channels, S16_LE stereo 48 kHz); 1.5 s after its stream runs, `amixer -- sset Master
# -12dB` lowers the `stereo` topology's playback volume from 0 dB to -12 dB (step 52 of
# 64). The host then finds the output level 12 dB lower after the change (tone.py level).
. /vmtest/lib.sh

check card0-control wait_for /dev/snd/controlC0
check pcm0-playback-node wait_for /dev/snd/pcmC0D0p
cp "$SHARE/sine.wav" /tmp/sine.wav
check_eq pv-0db "$(amixer -c 0 cget name='Master Playback Volume' | grep -o ': values=.*')" \
	': values=64,64'

section play
timeout 60 aplay -D hw:0,0 /tmp/sine.wav &
player=$!
check playback-running pcm_running p
sleep 1.5
check amixer-sset-minus-12db amixer -c 0 -- sset Master -12dB
check_eq pv-step-52 "$(amixer -c 0 cget name='Master Playback Volume' | grep -o ': values=.*')" \
	': values=52,52'
amixer -c 0 sget Master
check pv-reads-minus-12db sh -c "amixer -c 0 sget Master | grep -q 'Front Left: Playback 52 .* \[-12.00dB\] \[on\]'"
wait $player
check aplay-exit [ $? -eq 0 ]
check no-kernel-warning sh -c '! dmesg | grep -E "WARNING:|Call Trace|BUG:"'
check no-io-timeout sh -c '! dmesg | grep -E "virtio_snd.*(timeout|failed to)"'
finish
