#!/bin/sh
# Start the private PipeWire daemon the endpoint tests use (tests/io/pipewire-null.conf: a
# null sink named vadsp-null-sink, no session manager), for trying the PipeWire endpoint by
# hand. It runs in the foreground in a fresh runtime directory; in another shell:
#
#   export XDG_RUNTIME_DIR=<the directory printed> PIPEWIRE_RUNTIME_DIR=<same>
#   pw-link -io            # the sink's ports, and a vadsp stream's once it is open
#
# and open endpoints as "pipewire:vadsp-null-sink?link". Ctrl-C stops the daemon and removes
# the directory.
#
# usage: tests/io/pw-daemon.sh [RUNTIME_DIR]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-$(mktemp -d /tmp/vadsp-pw-XXXXXX)}
mkdir -p "$dir"
chmod 700 "$dir"
trap 'rm -rf "$dir"' EXIT INT TERM
echo "PipeWire runtime directory: $dir" >&2
XDG_RUNTIME_DIR=$dir PIPEWIRE_RUNTIME_DIR=$dir pipewire -c "$here/pipewire-null.conf"
