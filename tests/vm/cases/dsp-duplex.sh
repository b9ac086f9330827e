#!/bin/sh
# vm-dsp-duplex, guest side: playback and capture at once on the `stereo` topology's PCM:
# aplay of $SHARE/play.wav (2 s of noise) while arecord records 4 s from vadspd's host
# input DAI, which loops over $SHARE/in.wav (1 s of other noise). The host judges both:
# out.wav carries play.wav and rec.wav carries in.wav, sample for sample (tone.py match).
. /vmtest/lib.sh

check card0-control wait_for /dev/snd/controlC0
check pcm0-playback-node wait_for /dev/snd/pcmC0D0p
check pcm0-capture-node wait_for /dev/snd/pcmC0D0c
cp "$SHARE/play.wav" /tmp/play.wav

section duplex
timeout 60 arecord -D hw:0,0 -f S16_LE -r 48000 -c 2 -d 4 /tmp/rec.wav &
recorder=$!
sleep 0.3
timeout 60 aplay -D hw:0,0 /tmp/play.wav
check aplay-exit [ $? -eq 0 ]
# The recording (4 s) outlasts the playback (2 s, started 0.3 s later): both ran at once.
check arecord-running kill -0 $recorder
wait $recorder
check arecord-exit [ $? -eq 0 ]
check_eq arecord-size "$(wc -c < /tmp/rec.wav)" $((44 + 4 * 48000 * 4))
cp /tmp/rec.wav "$SHARE/rec.wav"
check no-kernel-warning sh -c '! dmesg | grep -E "WARNING:|Call Trace|BUG:"'
check no-io-timeout sh -c '! dmesg | grep -E "virtio_snd.*(timeout|failed to)"'
finish
