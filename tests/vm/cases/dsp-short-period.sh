#!/bin/sh
# vm-dsp-short-period, guest side: aplay of 3 s of noise, then arecord of 2 s, with 1 ms
# periods and a buffer of four (virtio_snd.pcm_period_ms_min=1 on the kernel command line).
# A TCG guest cannot always refill a 4 ms buffer in time, so underruns may happen; what must
# not happen is the stall that ends in EIO when every queued period completes between two
# of the driver's position readings (docs/protocol.md 3.7, "The last message").
. /vmtest/lib.sh

check card0-control wait_for /dev/snd/controlC0
check pcm0-playback-node wait_for /dev/snd/pcmC0D0p
check period-min-1ms [ "$(cat /sys/module/virtio_snd/parameters/pcm_period_ms_min)" = 1 ]
cp "$SHARE/play.wav" /tmp/play.wav

section play
timeout 60 aplay -v -D hw:0,0 --period-time=1000 --buffer-time=4000 /tmp/play.wav \
	>/tmp/aplay.out 2>&1
check aplay-exit [ $? -eq 0 ]
grep -E 'period_size|buffer_size|underrun|rror' /tmp/aplay.out
check period-48-frames grep -Eq 'period_size *: 48$' /tmp/aplay.out
check no-eio sh -c '! grep -q "Input/output error" /tmp/aplay.out'
# The device timed how long the driver took from each completion to its next message: an
# answer for most of the 3000 periods (completions made before the next message count once;
# about 2990 on a quiet host). How long they took is the benchmark's business
# (bench/vm-period), not a test's.
host_request list >/tmp/list.json
check list-reply [ $? -eq 0 ]
answers=$(grep -o '"answers": *\[[0-9, ]*\]' /tmp/list.json | head -1 | tr -dc '0-9,')
echo "answers (<=0.25, 0.5, 1, 2, 4, 8, 16 ms, longer): $answers"
check answers-counted [ "$(echo "$answers" | awk -F, '{ s = 0; for (i = 1; i <= NF; i++)
	s += $i; print s }')" -ge 1000 ]
section record
timeout 60 arecord -v -D hw:0,0 -f S16_LE -r 48000 -c 2 --period-time=1000 --buffer-time=4000 \
	-d 2 /tmp/rec.wav >/tmp/arecord.out 2>&1
check arecord-exit [ $? -eq 0 ]
grep -E 'period_size|buffer_size|overrun|rror' /tmp/arecord.out
check arecord-no-eio sh -c '! grep -q "Input/output error" /tmp/arecord.out'
check arecord-2s [ "$(stat -c %s /tmp/rec.wav)" -ge $((2 * 48000 * 4)) ]

check no-kernel-warning sh -c '! dmesg | grep -E "WARNING:|Call Trace|BUG:"'
check no-io-timeout sh -c '! dmesg | grep -E "virtio_snd.*(timeout|failed to)"'
finish
