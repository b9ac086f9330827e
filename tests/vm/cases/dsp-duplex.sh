#!/bin/sh
# vm-dsp-duplex, guest side: playback and capture at once on the `stereo` topology's PCM:
# arecord records from vadspd's host input DAI, which loops over $SHARE/in.wav (1 s of
# noise); once its stream runs, aplay plays $SHARE/play.wav (2 s of other noise); then
# arecord is stopped (SIGINT). The host judges both:
# out.wav carries play.wav and rec.wav carries in.wav, sample for sample (tone.py match).
. /vmtest/lib.sh

check card0-control wait_for /dev/snd/controlC0
check pcm0-playback-node wait_for /dev/snd/pcmC0D0p
check pcm0-capture-node wait_for /dev/snd/pcmC0D0c
cp "$SHARE/play.wav" /tmp/play.wav

section duplex
# arecord runs until it is interrupted (SIGINT: it completes the WAV header and exits).
timeout 120 arecord -D hw:0,0 -f S16_LE -r 48000 -c 2 -d 60 /tmp/rec.wav &
recorder=$!
check capture-running pcm_running c
timeout 60 aplay -D hw:0,0 /tmp/play.wav
check aplay-exit [ $? -eq 0 ]
check arecord-outlived-aplay kill -0 $recorder
kill -INT $recorder
wait $recorder
size=$(wc -c < /tmp/rec.wav)
echo "recorded $size bytes"
# At least the 2 s that aplay played.
check arecord-length [ "$size" -ge $((44 + 2 * 48000 * 4)) ]
cp /tmp/rec.wav "$SHARE/rec.wav"
check no-kernel-warning sh -c '! dmesg | grep -E "WARNING:|Call Trace|BUG:"'
check no-io-timeout sh -c '! dmesg | grep -E "virtio_snd.*(timeout|failed to)"'
finish
