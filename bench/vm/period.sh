# Guest side of bench/vm-period (busybox sh, run by tests/vm/guest/init from the 9p share).
#
# Sits idle for SECS seconds (the host measures QEMU's and vadspd's CPU time meanwhile: the
# idle baseline), then plays SECS seconds of silence (S16, 2 channels, 48 kHz, from /dev/zero)
# with aplay on DEVICE once per period in PERIODS (microseconds, comma-separated), each with
# a buffer of BUFFER_PERIODS periods. Every phase is framed by "BENCH: <word>" lines on the
# console, which the host reads as they come to sample CPU times; the outcome of each play
# (aplay's exit status, its "underrun!!!" lines, the period and buffer sizes it was given)
# is printed on the END line and aplay's whole output is kept in the share.
#
# Environment (kernel command line vmtest.NAME=VALUE): SECS, PERIODS, BUFFER_PERIODS, DEVICE.

SECS=${SECS:-30}
PERIODS=$(echo "${PERIODS:-10000,5000,2000,1000}" | tr ',' ' ')
BUFFER_PERIODS=${BUFFER_PERIODS:-4}
DEVICE=${DEVICE:-hw:0,0}

# The guest's CPU time (jiffies): busy and total, from /proc/stat's first line.
cpu() {
	head -1 /proc/stat | awk '{ t = 0; for (i = 2; i <= NF; i++) t += $i;
		print "busy=" (t - $5 - $6) " total=" t }'
}

# A value from aplay -v's hardware setup dump ("period_size  : 48").
setup_value() {
	sed -n "s/^[[:space:]]*$1[[:space:]]*: *\([0-9]*\).*/\1/p" "$2" | head -1
}

echo "BENCH: GUEST period_ms_min=$(cat /sys/module/virtio_snd/parameters/pcm_period_ms_min 2>/dev/null) cards=$(cat /proc/asound/cards | grep -c '^ *[0-9]')"
if [ ! -e /dev/snd/pcmC0D0p ]; then
	echo "BENCH: ERROR no playback PCM /dev/snd/pcmC0D0p"
	exit 1
fi
sleep 2
echo "BENCH: IDLE-BEGIN $(cpu)"
sleep "$SECS"
echo "BENCH: IDLE-END $(cpu)"

for p in $PERIODS; do
	log=$SHARE/aplay-$p.log
	echo "BENCH: PLAY-BEGIN period_us=$p $(cpu)"
	aplay -v -D "$DEVICE" -t raw -f S16_LE -c 2 -r 48000 --period-time="$p" \
		--buffer-time=$((p * BUFFER_PERIODS)) -d "$SECS" /dev/zero > "$log" 2>&1
	rc=$?
	echo "BENCH: PLAY-END period_us=$p rc=$rc underruns=$(grep -c 'underrun!!!' "$log")" \
		"eio=$(grep -c 'Input/output error' "$log")" \
		"period_size=$(setup_value period_size "$log")" \
		"buffer_size=$(setup_value buffer_size "$log") $(cpu)"
	grep -E 'underrun|error|rror' "$log" | head -5 | sed 's/^/BENCH: APLAY /'
	sleep 1
done
echo "BENCH: DONE"
dmesg | grep -i -E 'virtio_snd|snd' | tail -20 | sed 's/^/BENCH: DMESG /'
echo "CHECK bench-ran PASS"
