#!/usr/bin/env python3
"""The judges of tests/vm/tone.py on made-up outputs: each passes what vadspd should write
and fails on a single lost, repeated, changed or inserted frame, a swapped channel, a level
0.2 dB off, a missing tone.
Run: python3 tests/vm/test-tone.py (Meson test vm-tone-judges; no VM involved.)"""
import array
import contextlib
import io
import math
import os
import struct
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tone  # noqa: E402

RATE = 48000


def write_s32(path, chans):
    nch, n = len(chans), len(chans[0])
    inter = array.array('i', [0]) * (nch * n)
    for c in range(nch):
        inter[c::nch] = array.array('i', chans[c])
    raw = inter.tobytes()
    hdr = struct.pack('<4sI4s4sIHHIIHH4sI', b'RIFF', 36 + len(raw), b'WAVE', b'fmt ', 16, 1,
                      nch, RATE, RATE * nch * 4, nch * 4, 32, b'data', len(raw))
    with open(path, 'wb') as f:
        f.write(hdr + raw)


def quiet(fn, *args):
    with contextlib.redirect_stdout(io.StringIO()):
        return fn(*args)


class Judges(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.ref = self.path('ref.wav')
        tone.make(self.ref, RATE, 0.5, [0, 0], 0.5, 'noise', 0)
        self.r = tone.read_pcm(self.ref).chans

    def tearDown(self):
        self.dir.cleanup()

    def path(self, name):
        return os.path.join(self.dir.name, name)

    def played(self, lead=4800, ramp=960, tail=4800):
        """What vadspd writes for ref: silence, a linear start ramp, ref << 16, silence."""
        out = []
        for ch in self.r:
            x = [0] * lead
            x += [int(v * min(1.0, i / ramp)) << 16 for i, v in enumerate(ch)]
            out.append(x + [0] * tail)
        return out

    def match(self, chans, *extra):
        p = self.path('out.wav')
        write_s32(p, chans)
        loop = 'loop' in extra
        gaps = 1 if 'gap-ok' in extra else 0
        return quiet(tone.match, p, self.ref, 2000, loop, gaps, None)

    def test_match_passes_what_vadspd_should_write(self):
        self.assertEqual(self.match(self.played()), 0)

    def test_match_fails_on_one_changed_sample(self):
        out = self.played()
        out[1][20000] += 1 << 16
        self.assertEqual(self.match(out), 1)

    def test_match_fails_on_a_lost_or_repeated_frame(self):
        lost, rep = self.played(), self.played()
        for c in range(2):
            del lost[c][15000]
            rep[c].insert(15000, rep[c][15000])
        self.assertEqual(self.match(lost), 1)
        self.assertEqual(self.match(rep), 1)

    def test_match_counts_inserted_silence_as_a_gap(self):
        out = self.played()
        for c in range(2):
            out[c][15000:15000] = [0] * 480
        self.assertEqual(self.match(out), 1)
        self.assertEqual(self.match(out, 'gap-ok'), 0)

    def test_match_fails_on_swapped_channels_and_on_sound_after_the_end(self):
        out = self.played()
        self.assertEqual(self.match([out[1], out[0]]), 1)
        out = self.played()
        out[0][-10] = 1 << 16
        self.assertEqual(self.match(out), 1)

    def test_match_fails_on_an_amplified_start_ramp(self):
        out = self.played()
        out[0][4800 + 100] = 2 * (self.r[0][100] << 16)
        self.assertEqual(self.match(out), 1)

    def test_match_loop_follows_the_wrap_around_and_fails_on_a_skip(self):
        n = len(self.r[0])
        rec = [[ch[(7000 + i) % n] for i in range(2 * n)] for ch in self.r]
        p = self.path('rec.wav')
        tone.write_s16(p, RATE, rec)
        self.assertEqual(quiet(tone.match, p, self.ref, 2000, True, 0, None), 0)
        for c in range(2):
            del rec[c][n + 3000]
        tone.write_s16(p, RATE, rec)
        self.assertEqual(quiet(tone.match, p, self.ref, 2000, True, 0, None), 1)

    def sine(self, f, amp, secs, gain=lambda i: 1.0):
        return [int(round(amp * gain(i) * 2147483647 * math.sin(2 * math.pi * f * i / RATE)))
                for i in range(int(secs * RATE))]

    def test_level_measures_the_change(self):
        p = self.path('lvl.wav')
        for change, want in ((-12.0, 0), (-11.8, 1)):
            g = 10 ** (change / 20)
            x = self.sine(1000, 0.5, 2.0, lambda i: 1.0 if i < RATE else g)
            write_s32(p, [x, x])
            self.assertEqual(quiet(tone.level, p, 1000, 0.5, -12.0, 0.1), want, change)

    def test_tones_measure_both_guests(self):
        p = self.path('mix.wav')
        a, b = self.sine(440, 0.25, 2.0), self.sine(1000, 0.25, 2.0)
        write_s32(p, [[x + y for x, y in zip(a, b)]] * 2)
        want = [(440.0, 0.25), (1000.0, 0.25)]
        self.assertEqual(quiet(tone.tones, p, want, 1.5, 0.1), 0)
        b2 = self.sine(1000, 0.25 * 10 ** (-0.2 / 20), 2.0)
        write_s32(p, [[x + y for x, y in zip(a, b2)]] * 2)
        self.assertEqual(quiet(tone.tones, p, want, 1.5, 0.1), 1)
        write_s32(p, [a, a])
        self.assertEqual(quiet(tone.tones, p, want, 1.5, 0.1), 1)

    def test_departure_wants_both_guests_sample_for_sample(self):
        ref, lref = self.path('stays.wav'), self.path('leaves.wav')
        tone.make(ref, RATE, 4.0, [0, 0], 0.25, 'noise', 2)
        tone.make(lref, RATE, 1.5, [440, 440], 0.25, 'sine', 0)
        stays, leaves = tone.read_pcm(ref).chans, tone.read_pcm(lref).chans
        lead, join = 4800, 9600
        gone = lead + join + len(leaves[0])

        def judge(edit=None):
            chans = []
            for c, ch in enumerate(stays):
                x = [0] * lead + [v << 16 for v in ch] + [0] * 4800
                for i, v in enumerate(leaves[c]):
                    x[lead + join + i] += v << 16
                chans.append(x)
            if edit:
                edit(chans)
            p = self.path('dep.wav')
            write_s32(p, chans)
            return quiet(tone.departure, p, ref, (440.0, 0.25), 2000, 1.0, 1.0, 0.1, lref)

        def drop_after_departure(chans):
            for c in chans:
                del c[gone + 50]

        def change_leaving(chans):
            chans[1][gone - 30000] += 1 << 16

        self.assertEqual(judge(), 0)
        self.assertEqual(judge(drop_after_departure), 1)
        self.assertEqual(judge(change_leaving), 1)


if __name__ == '__main__':
    unittest.main(verbosity=2)
