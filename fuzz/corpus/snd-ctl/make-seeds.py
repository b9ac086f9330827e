#!/usr/bin/env python3
# Writes the seed inputs of fuzz-snd-ctl (see fuzz/fuzz-snd-ctl.c for the input format)
# into this directory: python3 fuzz/corpus/snd-ctl/make-seeds.py
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
STEREO, MULTI, VOICE, EMPTY = 0, 1, 2, 3
CTLS = 4

JACK_INFO, JACK_REMAP = 1, 2
PCM_INFO, SET_PARAMS, PREPARE, RELEASE, START, STOP = range(0x100, 0x106)
CHMAP_INFO = 0x200
CTL_INFO, ENUM_ITEMS, READ, WRITE, TLV_READ, TLV_WRITE, TLV_COMMAND = range(0x300, 0x307)
S16, S32, R48000, R16000 = 5, 17, 7, 3


def rec(req, room=4096):
    return struct.pack('<HH', room, len(req)) + req


def query(code, start, count, size, room=None):
    return rec(struct.pack('<IIII', code, start, count, size),
               room if room is not None else 4 + count * size)


def pcm(code, stream):
    return rec(struct.pack('<II', code, stream), 4)


def params(stream, buf, per, ch, fmt, rate, feat=0):
    return rec(struct.pack('<IIIIIBBBB', SET_PARAMS, stream, buf, per, feat, ch, fmt, rate, 0), 4)


def ctl(code, cid, payload=b'', room=4 + 512):
    return rec(struct.pack('<II', code, cid) + payload, room)


def write(cid, values):
    v = b''.join(struct.pack('<i', x) for x in values)
    return ctl(WRITE, cid, v + bytes(512 - len(v)), 4)


def seed(name, card, records):
    with open(os.path.join(HERE, name), 'wb') as f:
        f.write(bytes([card]) + b''.join(records))


def probe(jacks, streams, controls):
    return [query(JACK_INFO, 0, jacks, 24), query(PCM_INFO, 0, streams, 32),
            query(CHMAP_INFO, 0, streams, 24), query(CTL_INFO, 0, controls, 96)]


seed('probe-stereo', STEREO | CTLS, probe(2, 2, 4))
seed('probe-multi', MULTI | CTLS, probe(3, 3, 7) + [ctl(TLV_READ, 2, room=4096)])
seed('probe-voice-no-ctls', VOICE, probe(1, 1, 0) + [query(CTL_INFO, 0, 2, 96)])
seed('probe-empty', EMPTY | CTLS, probe(0, 0, 0) + [pcm(PREPARE, 0)])
seed('playback-cycle', STEREO | CTLS,
     [params(0, 15360, 3840, 2, S16, R48000, 1 << 4), pcm(PREPARE, 0), pcm(START, 0),
      pcm(STOP, 0), pcm(START, 0), pcm(STOP, 0), pcm(RELEASE, 0), pcm(PREPARE, 0),
      pcm(RELEASE, 0)])
seed('capture-cycle', VOICE | CTLS,
     [params(0, 2560, 640, 1, S32, R16000), pcm(PREPARE, 0), pcm(START, 0), pcm(STOP, 0),
      pcm(RELEASE, 0)])
seed('illegal-transitions', MULTI | CTLS,
     [pcm(START, 1), pcm(PREPARE, 1), params(1, 15360, 3000, 2, S16, R48000),
      params(1, 15360, 3840, 2, S16, R48000), pcm(STOP, 1), pcm(START, 1), pcm(START, 1),
      pcm(SET_PARAMS, 1), pcm(RELEASE, 1), pcm(STOP, 7)])
seed('controls', STEREO | CTLS,
     [write(0, [10, 20]), ctl(READ, 0), ctl(TLV_READ, 0, room=64), write(1, [0, 1]),
      write(2, [71, 0]), ctl(READ, 3), ctl(TLV_WRITE, 0, struct.pack('<II', 0, 4) + b'abcd'),
      ctl(TLV_COMMAND, 1), ctl(ENUM_ITEMS, 0), rec(struct.pack('<III', JACK_REMAP, 0, 1), 4)])
seed('bytes-tlv', MULTI | CTLS,
     [ctl(TLV_WRITE, 2, struct.pack('<II', 2, 16) + bytes(range(16)), 4),
      ctl(TLV_READ, 2, room=4 + 8 + 16), ctl(TLV_READ, 2, room=4 + 8 + 15), ctl(READ, 2)])

# Queue mode (byte 0 bit 3): records driving the card through its virtqueues.
QUEUES = 8


def qctl(req, room=4096, pieces=0):
    return bytes([0]) + struct.pack('<HBH', room, pieces, len(req)) + req


def qio(stream, audio, status=8, rx=False, bad_id=False, no_hdr=False):
    flags = (1 if rx else 0) | (2 if bad_id else 0) | (4 if no_hdr else 0)
    return bytes([1, flags, stream]) + struct.pack('<HB', audio, status)


def qevent(size=8):
    return bytes([2, size])


def qjack(jack, connected):
    return bytes([3, jack, connected])


def qrestart(queue):
    return bytes([4, queue])


def qpcm(code, stream):
    return qctl(struct.pack('<II', code, stream), 4)


def qparams(stream, buf, per, ch, fmt, rate, feat=0):
    return qctl(struct.pack('<IIIIIBBBB', SET_PARAMS, stream, buf, per, feat, ch, fmt, rate,
                            0), 4)


seed('queues-playback', STEREO | CTLS | QUEUES,
     [qevent() for _ in range(4)] +
     [qctl(struct.pack('<IIII', PCM_INFO, 0, 2, 32), 4 + 64, 3),
      qparams(0, 7680, 1920, 2, S16, R48000, 1 << 4), qpcm(PREPARE, 0),
      qio(0, 1920), qio(0, 1920), qio(0, 1922), qio(1, 1920), qpcm(SET_PARAMS, 0),
      qparams(0, 7680, 1920, 2, S16, R48000), qpcm(START, 0), qio(0, 1920), qpcm(STOP, 0),
      qio(0, 1920), qpcm(RELEASE, 0), qio(0, 1920), qjack(0, 0), qjack(0, 1), qevent(4),
      qevent(), qevent()])
seed('queues-held-release', STEREO | CTLS | QUEUES,
     [qparams(1, 7680, 1920, 2, S16, R48000), qpcm(PREPARE, 1),
      qio(1, 1920, rx=True), qio(1, 1920, rx=True), qpcm(PREPARE, 1), qpcm(RELEASE, 1),
      qctl(struct.pack('<IIII', JACK_INFO, 0, 2, 24), 52), qpcm(PREPARE, 1),
      qio(1, 1920, rx=True), qrestart(3), qpcm(START, 1), qio(1, 1920, rx=True),
      qrestart(0), qpcm(STOP, 1), qrestart(7), qpcm(PREPARE, 1)])
seed('queues-malformed-io', MULTI | CTLS | QUEUES,
     [qparams(0, 15360, 3840, 2, S16, R48000), qpcm(PREPARE, 0),
      qio(0, 3840, 0), qio(0, 3840, 7), qio(0, 3840, 12), qio(0, 0), qio(0, 2),
      qio(0, 3840, bad_id=True), qio(9, 3840), qio(0, 3, 8, no_hdr=True), qio(0, 3840, rx=True),
      qio(0, 4, 3, rx=True), qpcm(START, 0), qio(0, 3840, 8)])
seed('queues-responses', VOICE | CTLS | QUEUES,
     [qctl(struct.pack('<IIII', CTL_INFO, 0, 2, 96), r, p) for r, p in
      ((0, 0), (1, 0), (3, 2), (4, 1), (196, 3))] +
     [qctl(b'', 8), qctl(b'\x01\x01', 8), qctl(struct.pack('<I', 0x999), 8, 1),
      qctl(struct.pack('<II', READ, 0), 515), qctl(struct.pack('<II', READ, 0), 516, 3)])
