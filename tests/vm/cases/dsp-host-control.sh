#!/bin/sh
# vm-dsp-host-control, guest side: the host changes the guest's card through vadspd's
# management socket while the guest plays (run-guest --host-request: vadspd-state.py
# request). aplay plays $SHARE/sine.wav (4 s of 1 kHz at -6 dBFS); 1.5 s after its stream
# runs, the host sets Master Playback Volume to step 52 (-12 dB): the guest's amixer must
# read 52,52, `alsactl monitor` must have seen the control change (vadspd's CTL_NOTIFY) and
# the host output must drop by 12 dB (tone.py level). After playback the host unplugs the
# main-out jack: the guest's Line Out Jack must read off (JACK_DISCONNECTED), and on again
# after the host plugs it back; `alsactl monitor` must have seen both jack changes.
. /vmtest/lib.sh

check card0-control wait_for /dev/snd/controlC0
check pcm0-playback-node wait_for /dev/snd/pcmC0D0p
cp "$SHARE/sine.wav" /tmp/sine.wav
pv() { amixer -c 0 cget name='Master Playback Volume' | grep -o ': values=.*'; }
jack() { amixer -c 0 cget iface=CARD,name='Line Out Jack' | grep -o ': values=.*'; }
# wait_value NAME FUNCTION WANT: poll FUNCTION up to 5 s until it prints WANT.
wait_value() {
	n=0
	while [ "$($2)" != "$3" ] && [ $n -lt 50 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	check_eq "$1" "$($2)" "$3"
}
check_eq pv-0db "$(pv)" ': values=64,64'
check_eq jack-on "$(jack)" ': values=on'

section play, the host lowers the volume
# What the driver reports to ALSA applications (from vadspd's CTL_NOTIFY and jack events).
alsactl monitor hw:0 > /tmp/events.txt 2>&1 &
monitor=$!
timeout 60 aplay -D hw:0,0 /tmp/sine.wav &
player=$!
check playback-running pcm_running p
sleep 1.5
check host-set-volume host_request volume
wait_value pv-step-52-from-host pv ': values=52,52'
wait $player
check aplay-exit [ $? -eq 0 ]

section the host unplugs and plugs the jack
check host-unplug host_request unplug
wait_value jack-off-from-host jack ': values=off'
check host-plug host_request plug
wait_value jack-on-again jack ': values=on'
sleep 0.5
kill $monitor
cat /tmp/events.txt
check volume-change-event grep -q 'Master Playback Volume,0) VALUE' /tmp/events.txt
check_eq jack-events "$(grep -c 'Line Out Jack,0) VALUE' /tmp/events.txt)" 2
check no-kernel-warning sh -c '! dmesg | grep -E "WARNING:|Call Trace|BUG:"'
finish
