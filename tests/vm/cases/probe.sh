#!/bin/sh
# vm-vadspd-probe(-ctls), guest side: the stock virtio_snd driver must bind to a vhost-user
# sound device whose configuration is jacks=0 streams=0 chmaps=0 (controls=0).
#
# What Linux 6.12 does with such a device (observed): the probe succeeds and registers card
# 0, "VirtIO SoundCard", with a control device only: no PCM device, no mixer control.
# Environment: CTLS=1 when the device offers VIRTIO_SND_F_CTLS (QEMU controls=on), else 0.
. /vmtest/lib.sh
CTLS=${CTLS:-0}

dev=$(snd_virtio_dev)
check virtio-snd-device [ -n "$dev" ]
[ -n "$dev" ] || finish
check_eq virtio-snd-driver "$(basename "$(readlink "$dev/driver")")" virtio_snd
section "$dev features $(cat "$dev/features")"
check_eq feature-version-1 "$(feature_bit "$dev" 32)" 1
check_eq feature-ctls "$(feature_bit "$dev" 0)" "$CTLS"

check card0-control wait_for /dev/snd/controlC0
section /proc/asound
cat /proc/asound/cards
check card0-virtio grep -q '^ *0 \[SoundCard *\]: virtio-snd - VirtIO SoundCard' /proc/asound/cards
check_eq card-count "$(grep -c '^ *[0-9]* \[' /proc/asound/cards)" 1
check_eq pcm-count "$(cat /proc/asound/pcm 2>/dev/null | wc -l)" 0
check_eq pcm-nodes "$(ls /dev/snd | grep -c '^pcm')" 0
controls=$(amixer -c 0 controls)
check amixer-open [ $? -eq 0 ]
check_eq mixer-controls "$(echo -n "$controls" | grep -c .)" 0

section dmesg
dmesg | grep -i -E 'virtio|snd|9p' | grep -v -E 'Command line|Kernel command'
check no-probe-failure sh -c '! dmesg | grep -E "probe with driver .* failed"'
check no-kernel-warning sh -c '! dmesg | grep -E "WARNING:|Call Trace|BUG:"'
finish
