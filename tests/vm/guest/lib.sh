# Helpers for guest test scripts (busybox sh), installed in the guest as /vmtest/lib.sh.
# A test script does `. /vmtest/lib.sh`, calls check/check_eq for every assertion and ends
# with `finish`. tests/vm/run-guest collects the "CHECK <name> PASS|FAIL" lines from the
# serial console; the run passes only if there was at least one CHECK, none failed, and the
# script exited 0.

vmtest_failed=0

# check NAME COMMAND...: run COMMAND; PASS if it exits 0.
check() {
	name=$1
	shift
	if "$@"; then
		echo "CHECK $name PASS"
	else
		echo "CHECK $name FAIL (command: $*)"
		vmtest_failed=$((vmtest_failed + 1))
	fi
}

# check_eq NAME GOT WANT: PASS if the two strings are equal.
check_eq() {
	if [ "$2" = "$3" ]; then
		echo "CHECK $1 PASS ($2)"
	else
		echo "CHECK $1 FAIL (got '$2', want '$3')"
		vmtest_failed=$((vmtest_failed + 1))
	fi
}

# section TITLE: a visible separator in the serial log.
section() {
	echo "--- $*"
}

# snd_virtio_dev: the sysfs directory of the first virtio sound device (device id 0x0019).
snd_virtio_dev() {
	for d in /sys/bus/virtio/devices/*; do
		[ "$(cat "$d/device" 2>/dev/null)" = 0x0019 ] && { echo "$d"; return 0; }
	done
	return 1
}

# feature_bit DEV N: the guest-acked feature bit N (0 or 1) of a virtio device, from the
# sysfs "features" string (one character per bit, bit 0 first).
feature_bit() {
	cut -c$(($2 + 1)) "$1/features"
}

# wait_for PATH [TENTHS]: wait until PATH exists, at most TENTHS tenths of a second (30).
wait_for() {
	i=0
	while [ ! -e "$1" ] && [ $i -lt "${2:-30}" ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -e "$1" ]
}

finish() {
	echo "SUMMARY failed=$vmtest_failed"
	exit $vmtest_failed
}

# host_request NAME [TENTHS]: ask run-guest to run its --host-request NAME command (for
# instance to look at the back-end while the guest holds a state) and print the reply: the
# command's output, then "rc=N". Waits at most TENTHS tenths of a second (600). Fails when
# no reply came or the command did not exit 0.
host_request() {
	rm -f "$SHARE/reply.$1" "$SHARE/request.$1"
	touch "$SHARE/request.$1" || { echo "host_request $1: cannot ask"; return 1; }
	wait_for "$SHARE/reply.$1" "${2:-600}" || { echo "host_request $1: no reply"; return 1; }
	rm -f "$SHARE/request.$1"
	cat "$SHARE/reply.$1"
	tail -n 1 "$SHARE/reply.$1" | grep -qx 'rc=0'
}

# signal_file NAME: create $SHARE/NAME (another guest or run-guest --kill-guest waits for it).
signal_file() {
	touch "$SHARE/$1"
}

# pcm_running p|c [TENTHS]: wait until card 0's PCM 0 playback (p) or capture (c) substream
# is RUNNING (from /proc/asound), at most TENTHS tenths of a second (100): a player started
# in the background may take a while on a loaded machine.
pcm_running() {
	n=0
	while [ $n -lt "${2:-100}" ]; do
		grep -q 'state: RUNNING' "/proc/asound/card0/pcm0$1/sub0/status" 2>/dev/null &&
			return 0
		sleep 0.1
		n=$((n + 1))
	done
	return 1
}
