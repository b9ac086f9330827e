#!/bin/sh
# vm-dsp-record, guest side: arecord of 2 s, S16_LE stereo 48 kHz, from the `stereo`
# topology's PCM at 0 dB while vadspd's host input DAI reads $SHARE/in.wav (1 s of
# pseudo-random noise, looped). The recording goes to $SHARE/rec.wav; the host finds the
# looped file in it, sample for sample (tone.py match --loop).
. /vmtest/lib.sh

check card0-control wait_for /dev/snd/controlC0
check pcm0-capture-node wait_for /dev/snd/pcmC0D0c
check_eq cv-0db "$(amixer -c 0 cget name='Capture Volume' | grep -o ': values=.*')" \
	': values=50,50'
check_eq cs-on "$(amixer -c 0 cget name='Capture Switch' | grep -o ': values=.*')" \
	': values=on,on'

section record
timeout 60 arecord -D hw:0,0 -f S16_LE -r 48000 -c 2 -d 2 /tmp/rec.wav
check arecord-exit [ $? -eq 0 ]
check_eq arecord-size "$(wc -c < /tmp/rec.wav)" $((44 + 2 * 48000 * 4))
cp /tmp/rec.wav "$SHARE/rec.wav"
check no-kernel-warning sh -c '! dmesg | grep -E "WARNING:|Call Trace|BUG:"'
check no-io-timeout sh -c '! dmesg | grep -E "virtio_snd.*(timeout|failed to)"'
finish
