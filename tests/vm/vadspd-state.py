#!/usr/bin/env python3
"""What a running vadspd holds (vm-dsp-cycles looks for leftovers), and requests to it.

  vadspd-state.py snapshot PID MGMT_SOCKET GUEST
      Prints one JSON line: the process's open file descriptors (count, and count per kind:
      socket, eventfd, timerfd, memfd, file...), threads and memory mappings (from /proc),
      and, from the management socket's `list` reply, the guest's connections and per
      stream its state, pending I/O messages and xruns.

  vadspd-state.py request MGMT_SOCKET JSON
      Sends one request to the management socket and prints the reply; exit status 0 when
      it is {"ok":true,...}, 1 otherwise.

  vadspd-state.py compare BEFORE AFTER [--log FILE --count REGEX=N ...]
      BEFORE and AFTER are files holding a snapshot line (e.g. run-guest's share/reply.NAME).
      AFTER must hold exactly the descriptors (per kind) and threads BEFORE held, no more
      memory mappings, the same connections, and no stream of the guest may be anything but
      released (or never set up), with nothing pending. --count REGEX=N: FILE must match
      REGEX exactly N times (e.g. one "released" line per cycle); REGEX>=N: at least N.

Prints one line per finding and 'RESULT: PASS' or 'RESULT: FAIL'; exit status 0, 1 or 2.
Standard library only.
"""
import argparse
import json
import os
import re
import socket
import sys


def fd_kind(target):
    if target.startswith('socket:'):
        return 'socket'
    if target.startswith('anon_inode:'):
        return target[len('anon_inode:'):].strip('[]')
    if target.startswith('/memfd:'):
        return 'memfd'
    if target.startswith('pipe:'):
        return 'pipe'
    if target.startswith('/dev/'):
        return target
    return 'file'


def mgmt_request(path, req):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(path)
    s.sendall(json.dumps(req).encode() + b'\n')
    buf = b''
    while not buf.endswith(b'\n'):
        chunk = s.recv(65536)
        if not chunk:
            break
        buf += chunk
    s.close()
    return json.loads(buf)


def snapshot(pid, mgmt, guest):
    kinds = {}
    fds = os.listdir(f'/proc/{pid}/fd')
    for fd in fds:
        try:
            k = fd_kind(os.readlink(f'/proc/{pid}/fd/{fd}'))
        except OSError:
            continue
        kinds[k] = kinds.get(k, 0) + 1
    with open(f'/proc/{pid}/maps') as f:
        maps = sum(1 for _ in f)
    threads = len(os.listdir(f'/proc/{pid}/task'))
    reply = mgmt_request(mgmt, {'cmd': 'list', 'guest': guest})
    if not reply.get('ok'):
        print(f'management socket: {reply}', file=sys.stderr)
        return 1
    conns = []
    for g in reply['guests']:
        for c in g.get('connections', []):
            conns.append({'id': c['id'], 'streams': [
                {k: st[k] for k in ('id', 'direction', 'state', 'pending', 'xruns', 'messages')}
                for st in c['streams']]})
    print(json.dumps({'fds': len(fds), 'fd_kinds': kinds, 'threads': threads, 'maps': maps,
                      'connections': conns}, sort_keys=True))
    return 0


def load(path):
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith('{'):
                return json.loads(line)
    raise ValueError(f'no snapshot in {path}')


def verdict(ok, text):
    print(f'{"PASS" if ok else "FAIL"}: {text}')
    return ok


def compare(before_path, after_path, log, counts):
    try:
        a, b = load(before_path), load(after_path)
    except (OSError, ValueError) as e:
        print(f'ERROR: {e}')
        return 2
    print(f'before: {json.dumps(a, sort_keys=True)}')
    print(f'after:  {json.dumps(b, sort_keys=True)}')
    ok = verdict(a['fds'] == b['fds'] and a['fd_kinds'] == b['fd_kinds'],
                 f'file descriptors: {a["fds"]} before, {b["fds"]} after (per kind: '
                 f'{a["fd_kinds"]} / {b["fd_kinds"]})')
    ok &= verdict(a['threads'] == b['threads'],
                  f'threads: {a["threads"]} before, {b["threads"]} after')
    ok &= verdict(b['maps'] <= a['maps'],
                  f'memory mappings: {a["maps"]} before, {b["maps"]} after')
    ok &= verdict(bool(b['connections']) and
                  [c['id'] for c in a['connections']] == [c['id'] for c in b['connections']],
                  f'connections: {[c["id"] for c in a["connections"]]} before, '
                  f'{[c["id"] for c in b["connections"]]} after')
    for c in b['connections']:
        for st in c['streams']:
            ok &= verdict(st['state'] in ('RELEASE', 'NONE') and st['pending'] == 0,
                          f'connection {c["id"]} stream {st["id"]} ({st["direction"]}): '
                          f'state {st["state"]}, {st["pending"]} pending, {st["xruns"]} '
                          f'xruns, {st["messages"]} messages')
    if counts:
        try:
            with open(log, errors='replace') as f:
                text = f.read()
        except OSError as e:
            print(f'ERROR: {e}')
            return 2
        for regex, n, at_least in counts:
            got = len(re.findall(regex, text, re.MULTILINE))
            ok &= verdict(got >= n if at_least else got == n,
                          f'{got} lines match /{regex}/ in {os.path.basename(log)} '
                          f'(want {"at least " if at_least else ""}{n})')
    print(f'RESULT: {"PASS" if ok else "FAIL"}')
    return 0 if ok else 1


def count_arg(s):
    """REGEX=N (exactly N matches) or REGEX>=N (at least N)."""
    regex, _, n = s.rpartition('=')
    if regex.endswith('>'):
        return regex[:-1], int(n), True
    return regex, int(n), False


def main():
    ap = argparse.ArgumentParser(description='look at a running vadspd')
    sub = ap.add_subparsers(dest='cmd', required=True)
    s = sub.add_parser('snapshot')
    s.add_argument('pid', type=int)
    s.add_argument('mgmt')
    s.add_argument('guest')
    r = sub.add_parser('request')
    r.add_argument('mgmt')
    r.add_argument('json')
    c = sub.add_parser('compare')
    c.add_argument('before')
    c.add_argument('after')
    c.add_argument('--log')
    c.add_argument('--count', type=count_arg, action='append', default=[])
    a = ap.parse_args()
    if a.cmd == 'snapshot':
        return snapshot(a.pid, a.mgmt, a.guest)
    if a.cmd == 'request':
        reply = mgmt_request(a.mgmt, json.loads(a.json))
        print(json.dumps(reply, sort_keys=True))
        return 0 if reply.get('ok') is True else 1
    if a.count and not a.log:
        ap.error('--count needs --log')
    return compare(a.before, a.after, a.log, a.count)


if __name__ == '__main__':
    sys.exit(main())
