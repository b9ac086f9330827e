# Guest side of bench/vm-period (busybox sh, run by tests/vm/guest/init from the 9p share).
#
# Sits idle for SECS seconds (the host measures QEMU's and vadspd's CPU time meanwhile: the
# idle baseline), then, for each period in PERIODS (microseconds, comma-separated), plays
# SECS seconds of silence (S16, 2 channels, 48 kHz, from /dev/zero) with aplay on the first
# PCM of each sound device in PLAYERS, one after the other, with a buffer of BUFFER_PERIODS
# periods. PLAYERS is NAME:SLOT,... where SLOT is the device's PCI slot in hex (QEMU's addr),
# which finds its ALSA card whatever order the driver probed them in. Every phase is framed
# by "BENCH: <word>" lines on the console, which the host reads as they come to sample CPU
# times (PLAY-MARK, a second before a play ends, samples the device's xrun count); the
# outcome of each play (aplay's exit status, its "underrun!!!" lines, EIO, the
# period and buffer sizes it was given) is on the END line, aplay's output in the share.
#
# Environment (kernel command line vmtest.NAME=VALUE): SECS, PERIODS, BUFFER_PERIODS, PLAYERS.

SECS=${SECS:-30}
PERIODS=$(echo "${PERIODS:-10000,5000,2000,1000}" | tr ',' ' ')
BUFFER_PERIODS=${BUFFER_PERIODS:-4}
PLAYERS=$(echo "${PLAYERS:-vadspd:10}" | tr ',' ' ')

# The guest's CPU time (jiffies): busy and total, from /proc/stat's first line.
cpu() {
	head -1 /proc/stat | awk '{ t = 0; for (i = 2; i <= NF; i++) t += $i;
		print "busy=" (t - $5 - $6) " total=" t }'
}

# A value from aplay -v's hardware setup dump ("period_size  : 48").
setup_value() {
	sed -n "s/^[[:space:]]*$1[[:space:]]*: *\([0-9]*\).*/\1/p" "$2" | head -1
}

# Interrupts the guest took for the virtio device in PCI slot $1 (hex, bus 0): the sum over
# its lines in /proc/interrupts (one legacy INTx line, or its MSI-X vectors).
irqs() {
	dev=$(basename /sys/bus/pci/devices/0000:00:$1.0/virtio* 2>/dev/null)
	awk -v d="$dev" '{ n = $NF; sub(/-.*/, "", n) }
		n == d { for (i = 2; i < NF; i++) if ($i ~ /^[0-9]+$/) s += $i }
		END { print "irqs=" s + 0 }' /proc/interrupts
}

# The ALSA card number of the sound device in PCI slot $1 (hex, bus 0).
card_of_slot() {
	for c in /sys/class/sound/card*; do
		case "$(readlink -f "$c/device")" in
		*/0000:00:$1.0/*)
			echo "${c##*/card}"
			return 0
			;;
		esac
	done
	return 1
}

for pl in $PLAYERS; do
	card=$(card_of_slot "${pl#*:}")
	if [ -z "$card" ] || [ ! -e "/dev/snd/pcmC${card}D0p" ]; then
		echo "BENCH: ERROR no playback PCM for ${pl%%:*} (PCI slot ${pl#*:})"
		exit 1
	fi
	echo "BENCH: GUEST ${pl%%:*} is card $card"
done
echo "BENCH: GUEST period_ms_min=$(cat /sys/module/virtio_snd/parameters/pcm_period_ms_min)"
sleep 2
echo "BENCH: IDLE-BEGIN $(cpu)"
sleep "$SECS"
echo "BENCH: IDLE-END $(cpu)"

for p in $PERIODS; do
	for pl in $PLAYERS; do
		name=${pl%%:*}
		card=$(card_of_slot "${pl#*:}")
		log=$SHARE/aplay-$name-$p.log
		echo "BENCH: PLAY-BEGIN dev=$name period_us=$p $(cpu) $(irqs "${pl#*:}")"
		aplay -v -D "hw:$card,0" -t raw -f S16_LE -c 2 -r 48000 --period-time="$p" \
			--buffer-time=$((p * BUFFER_PERIODS)) -d "$SECS" /dev/zero > "$log" 2>&1 &
		# A second before the end: what the device counted so far is the play's own,
		# not the end of the stream (its last period runs the pipeline dry).
		pid=$!
		# One sleeping process, no polling: the guest's own load is part of the measure.
		( sleep "$(awk -v s="$SECS" 'BEGIN { print (s > 1 ? s - 1 : 0) }')"
		  echo "BENCH: PLAY-MARK dev=$name period_us=$p" ) &
		mark=$!
		wait "$pid"
		rc=$?
		kill "$mark" 2>/dev/null
		echo "BENCH: PLAY-END dev=$name period_us=$p rc=$rc" \
			"underruns=$(grep -c 'underrun!!!' "$log")" \
			"eio=$(grep -c 'Input/output error' "$log")" \
			"period_size=$(setup_value period_size "$log")" \
			"buffer_size=$(setup_value buffer_size "$log") $(cpu) $(irqs "${pl#*:}")"
		grep -E 'underrun|rror' "$log" | head -3 | sed "s/^/BENCH: APLAY $name: /"
		sleep 1
	done
done
echo "BENCH: DONE"
echo "CHECK bench-ran PASS"
