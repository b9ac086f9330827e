#!/bin/sh
# vm-selftest, guest side: QEMU's own virtio-sound-pci (streams=2) must enumerate as an ALSA
# card, and /vmtest/tone.wav (48 kHz S16_LE stereo, L=440 Hz R=1000 Hz) must play through
# hw:0,0 unconverted. The host then checks the WAV that QEMU's wav audiodev wrote.
. /vmtest/lib.sh

dev=$(snd_virtio_dev)
check virtio-snd-device [ -n "$dev" ]
check_eq virtio-snd-driver "$(basename "$(readlink "$dev/driver")")" virtio_snd
check card0-control wait_for /dev/snd/controlC0
section /proc/asound
cat /proc/asound/cards /proc/asound/pcm
check card0-listed grep -q '^ *0 \[.*VirtIO SoundCard' /proc/asound/cards
check pcm0-playback grep -q '^00-00: .*playback 1' /proc/asound/pcm

section play
timeout 20 aplay -D hw:0,0 /vmtest/tone.wav
check aplay-tone [ $? -eq 0 ]
finish
