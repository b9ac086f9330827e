#!/bin/sh
# vm-vadspd-stereo, guest side: vadspd --controls --topology=stereo.tplg. The stock
# virtio_snd driver must show exactly the card of the `stereo` guest topology:
#   - one PCM device (0, the topology PCM's id) with one playback and one capture
#     substream (both streams share hda_fn_nid 0);
#   - the four mixer controls of the topology with their ranges, dB scales and initial
#     values (volumes at 0 dB, switches on);
#   - a jack per endpoint ("Line Out Jack" for main-out, "Line Jack" for main-in) and a
#     channel map control per direction (FL FR);
# aplay of /vmtest/tone.wav and arecord of 1 s must succeed against vadspd's null backend
# (which consumes and records silence at the real rate: the recording is all zeros), and an
# amixer volume change must read back.
. /vmtest/lib.sh

dev=$(snd_virtio_dev)
check virtio-snd-device [ -n "$dev" ]
[ -n "$dev" ] || finish
check_eq virtio-snd-driver "$(basename "$(readlink "$dev/driver")")" virtio_snd
check_eq feature-ctls "$(feature_bit "$dev" 0)" 1
check card0-control wait_for /dev/snd/controlC0
check pcm0-playback-node wait_for /dev/snd/pcmC0D0p
check pcm0-capture-node wait_for /dev/snd/pcmC0D0c

section /proc/asound
cat /proc/asound/cards /proc/asound/pcm
check_eq pcm-devices "$(wc -l < /proc/asound/pcm)" 1
check pcm0-one-playback-one-capture \
	grep -q '^00-00: .* : playback 1 : capture 1$' /proc/asound/pcm
check_eq pcm-nodes "$(ls /dev/snd | grep -c '^pcm')" 2

section aplay -l / arecord -l
aplay -l
arecord -l
check_eq aplay-devices "$(aplay -l | grep -c '^card 0: .*device 0:')" 1
check_eq aplay-other-devices "$(aplay -l | grep -c '^card ')" 1
check_eq arecord-devices "$(arecord -l | grep -c '^card 0: .*device 0:')" 1
check_eq arecord-other-devices "$(arecord -l | grep -c '^card ')" 1

section amixer controls
amixer -c 0 controls
mixer=$(amixer -c 0 controls | grep 'iface=MIXER' | sed "s/.*name='\(.*\)'/\1/" | sort | tr '\n' ',')
check_eq mixer-controls "$mixer" \
	"Capture Switch,Capture Volume,Master Playback Switch,Master Playback Volume,"
jacks=$(amixer -c 0 controls | grep 'iface=CARD' | sed "s/.*name='\(.*\)'/\1/" | sort | tr '\n' ',')
check_eq jack-controls "$jacks" "Line Jack,Line Out Jack,"
chmaps=$(amixer -c 0 controls | grep 'iface=PCM' | sed "s/.*name='\(.*\)'/\1/" | sort | tr '\n' ',')
check_eq chmap-controls "$chmaps" "Capture Channel Map,Playback Channel Map,"

section amixer contents
amixer -c 0 contents
pv=$(amixer -c 0 cget name='Master Playback Volume')
check pv-range sh -c "echo '$pv' | grep -q 'type=INTEGER,access=rw---R--,values=2,min=0,max=64,step=1'"
check pv-initial sh -c "echo '$pv' | grep -q ': values=64,64'"
check pv-db sh -c "echo '$pv' | grep -q 'dBscale-min=-64.00dB,step=1.00dB,mute=1'"
cv=$(amixer -c 0 cget name='Capture Volume')
check cv-range sh -c "echo '$cv' | grep -q 'values=2,min=0,max=70,step=1'"
check cv-initial sh -c "echo '$cv' | grep -q ': values=50,50'"
check cv-db sh -c "echo '$cv' | grep -q 'dBscale-min=-50.00dB,step=1.00dB,mute=1'"
ps=$(amixer -c 0 cget name='Master Playback Switch')
check ps-boolean sh -c "echo '$ps' | grep -q 'type=BOOLEAN,access=rw------,values=2'"
check ps-on sh -c "echo '$ps' | grep -q ': values=on,on'"
jack=$(amixer -c 0 cget iface=CARD,name='Line Out Jack')
check jack-connected sh -c "echo '$jack' | grep -q ': values=on'"
cmap=$(amixer -c 0 cget iface=PCM,name='Playback Channel Map')
check chmap-fl-fr sh -c "echo '$cmap' | grep -q 'chmap-fixed=FL,FR'"

section amixer set
check amixer-set amixer -c 0 cset name='Master Playback Volume' 40,30
pv=$(amixer -c 0 cget name='Master Playback Volume')
echo "$pv"
check pv-read-back sh -c "echo '$pv' | grep -q ': values=40,30'"
check amixer-switch-off amixer -c 0 cset name='Capture Switch' off,on
cs=$(amixer -c 0 cget name='Capture Switch')
check cs-read-back sh -c "echo '$cs' | grep -q ': values=off,on'"
check amixer-out-of-range sh -c "! amixer -c 0 cset name='Capture Volume' 71 2>/dev/null ||
	amixer -c 0 cget name='Capture Volume' | grep -q ': values=70,70'"

section play
timeout 30 aplay -D hw:0,0 /vmtest/tone.wav
check aplay-tone [ $? -eq 0 ]

section record
timeout 30 arecord -D hw:0,0 -f S16_LE -r 48000 -c 2 -d 1 /tmp/rec.wav
check arecord-1s [ $? -eq 0 ]
check_eq arecord-size "$(wc -c < /tmp/rec.wav)" $((44 + 48000 * 4))
check_eq arecord-silence "$(tail -c 192000 /tmp/rec.wav | tr -d '\000' | wc -c)" 0

section dmesg
dmesg | grep -i -E 'virtio|snd' | grep -v -E 'Command line|Kernel command'
check no-probe-failure sh -c '! dmesg | grep -E "probe with driver .* failed"'
check no-kernel-warning sh -c '! dmesg | grep -E "WARNING:|Call Trace|BUG:"'
check no-io-timeout sh -c '! dmesg | grep -E "virtio_snd.*(timeout|failed to)"'
finish
