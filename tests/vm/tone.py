#!/usr/bin/env python3
"""Test signals for the VM tests: write one, or judge what a guest or the host made of it.

  tone.py make OUT.wav [--rate 48000] [--secs 1.0] [--freqs 440,1000] [--level 0.5]
          [--signal sine|noise] [--seed N] [--bits 16|32]
      S16_LE (or S32_LE) PCM, one channel per frequency. sine: a sine of amplitude LEVEL (full scale
      = 1) with 10 ms ramps at both ends so that starting and stopping do not click.
      noise: deterministic pseudo-random samples, uniform within +-LEVEL, a different
      sequence per channel and per SEED, never repeating within the file and never 0
      (what `match` aligns on); --freqs only gives the channel count then.

  tone.py check IN.wav --freqs 440,1000 [--min-secs 0.8] [--level 0.5]
      For every channel: the strongest frequency between 100 Hz and 4 kHz (Goertzel filter
      bank, then a 1 Hz refinement) must be within 2 % of the expected one, the expected tone
      must stand at least 20 dB above every other channel's tone (no swapped or mixed
      channels), and the RMS level must be within 3 dB of LEVEL/sqrt(2). The part of the
      file that is not silent must last at least --min-secs.

  tone.py match OUT.wav REF.wav [--skip 2000] [--loop] [--max-gaps 0] [--min-frames N]
      OUT must carry REF sample for sample: OUT's first non-silent frame is found, then,
      SKIP frames later (past a volume's start ramp), where REF's frames lie in OUT (found by
      searching, on every channel); the frames before it must be REF's first frames
      attenuated, never amplified (a volume's start ramp). From there on every OUT frame must be the next REF frame
      scaled to OUT's sample width (S16 v in s32 is v << 16), or a silent frame inserted in
      between (a gap: an underrun; at most --max-gaps of them, each counted once however
      long), until REF ends (or, with --loop, REF wraps around and OUT ends: a recording of
      a looped host input). After REF's last frame OUT must be silent. At least --min-frames
      frames must match (default: REF's length minus SKIP minus one period of 480 frames;
      with --loop every frame from the comparison's start to OUT's end).

  tone.py level OUT.wav --freq 1000 --level 0.5 --change -12 [--tolerance 0.1]
      OUT carries a sine of FREQ whose level changes once (a volume control moved during
      playback). In 100 ms blocks (integer periods of FREQ: the RMS of a block is exact;
      all channels together),
      the level must start at LEVEL (within TOLERANCE dB), later settle at LEVEL + CHANGE dB
      (within TOLERANCE dB), each for at least 0.5 s, with at most 2 blocks in between
      (the change and its ramp) and nothing else.

  tone.py tones OUT.wav --tone 440:0.25 --tone 1000:0.25 [--min-both 1.0] [--tolerance 0.1]
      OUT carries the sum of sine tones FREQ:AMPLITUDE on every channel (guests mixed by the
      host). In 100 ms blocks the amplitude of every tone is measured (single-bin DFTs: the
      tones have whole periods in a block, so they do not leak into each other). Blocks
      where every tone sounds must last at least --min-both s; in them every tone's
      amplitude must be within TOLERANCE dB of its own, and what is left after removing the
      tones must be 60 dB below them.

  tone.py departure OUT.wav --stays REF.wav --leaves 440:0.25 [--leaves-ref SINE.wav]
          [--skip 2000] [--min-both 1.0] [--min-after 1.0] [--tolerance 0.1]
      Two guests played into OUT: one REF (S16 noise, from start to end), the other a sine
      FREQ:AMPLITUDE that started later and left while REF went on. REF is found in OUT by
      searching near OUT's end; from there back to REF's start (past its start ramp, SKIP
      frames) and forward to REF's end, OUT minus REF (scaled to OUT's width) must be 0
      (REF alone) or the sine (both): the last frame where it is not 0 is where the sine's
      guest left. After that, OUT must be REF sample for sample (nothing lost, repeated or
      inserted) for at least --min-after s, then silent. Before it, OUT minus REF, in
      100 ms blocks inside the sine's span, must be the sine at its amplitude (within
      TOLERANCE dB) and nothing else (60 dB below), for at least --min-both s. With
      --leaves-ref (the file the leaving guest played), OUT minus REF must moreover be that
      file sample for sample, from SKIP frames after its first sound (before: attenuated
      only) to its last frame.

Each command prints one line per finding and 'RESULT: PASS' or 'RESULT: FAIL'; exit status
0, 1 (mismatch) or 2 (unreadable). Reads 16-, 24- and 32-bit integer PCM WAV files (plain or
WAVE_FORMAT_EXTENSIBLE), also one whose header sizes were never patched (a writer that was
killed): the data chunk then runs to the end of the file.

Standard library only.
"""
import argparse
import array
import math
import operator
import struct
import sys

WINDOW = 8192           # samples per analysis window of `check` (170 ms at 48 kHz)
BLOCK_SECS = 0.1        # block length of `level` and `tones`
PERIOD = 480            # frames: the guest period the tests use (10 ms at 48 kHz)


# --- reading and writing ------------------------------------------------------------------

class Pcm:
    """Integer PCM: rate, sample width in bytes, and one array of ints per channel."""

    def __init__(self, rate, width, chans):
        self.rate = rate
        self.width = width
        self.chans = chans

    @property
    def frames(self):
        return len(self.chans[0]) if self.chans else 0

    @property
    def full_scale(self):
        return float(1 << (8 * self.width - 1))

    def floats(self, c, lo=0, hi=None):
        fs = self.full_scale
        return [v / fs for v in self.chans[c][lo:hi]]


def read_pcm(path):
    """Read a PCM WAV file into a Pcm. Raises ValueError for what it cannot read."""
    with open(path, 'rb') as f:
        data = f.read()
    if len(data) < 12 or data[:4] != b'RIFF' or data[8:12] != b'WAVE':
        raise ValueError('not a RIFF/WAVE file')
    pos, fmt, pcm = 12, None, None
    while pos + 8 <= len(data):
        cid, size = data[pos:pos + 4], struct.unpack('<I', data[pos + 4:pos + 8])[0]
        body = pos + 8
        if cid == b'fmt ':
            fmt = data[body:body + size]
        elif cid == b'data':
            # An unpatched header (0 or too large) means: to the end of the file.
            end = body + size if 0 < size <= len(data) - body else len(data)
            pcm = data[body:end]
            break
        pos = body + size + (size & 1)
    if fmt is None or pcm is None or len(fmt) < 16:
        raise ValueError('no fmt or data chunk')
    tag, nch, rate, _, align, bits = struct.unpack('<HHIIHH', fmt[:16])
    if tag == 0xfffe and len(fmt) >= 26:
        tag = struct.unpack('<H', fmt[24:26])[0]      # the subformat GUID's first bytes
    if tag != 1 or nch < 1 or bits not in (16, 24, 32) or align != nch * bits // 8:
        raise ValueError(f'need 16-, 24- or 32-bit integer PCM, got format {tag}, {bits} '
                         f'bits, {nch} channels')
    width = bits // 8
    frames = len(pcm) // align
    pcm = pcm[:frames * align]
    if width == 3:
        pcm = b''.join(b'\0' + pcm[i:i + 3] for i in range(0, len(pcm), 3))
        vals = array.array('i', pcm)
        vals = array.array('i', (v >> 8 for v in vals))
    else:
        vals = array.array('h' if width == 2 else 'i', pcm)
    if sys.byteorder != 'little' and width != 3:
        vals.byteswap()
    return Pcm(rate, width, [vals[c::nch] for c in range(nch)])


def write_pcm(path, rate, chans, bits=16):
    """Write channels of ints as a 16- or 32-bit PCM WAV file."""
    nch, frames, width = len(chans), len(chans[0]), bits // 8
    code = 'h' if bits == 16 else 'i'
    inter = array.array(code, [0]) * (nch * frames)
    for c in range(nch):
        inter[c::nch] = array.array(code, chans[c])
    if sys.byteorder != 'little':
        inter.byteswap()
    raw = inter.tobytes()
    hdr = struct.pack('<4sI4s4sIHHIIHH4sI', b'RIFF', 36 + len(raw), b'WAVE', b'fmt ', 16, 1,
                      nch, rate, rate * nch * width, nch * width, bits, b'data', len(raw))
    with open(path, 'wb') as f:
        f.write(hdr + raw)


def write_s16(path, rate, chans):
    write_pcm(path, rate, chans, 16)


def make(path, rate, secs, freqs, level, kind, seed=0, bits=16):
    n = int(rate * secs)
    full = (1 << (bits - 1)) - 1
    chans = []
    if kind == 'noise':
        amp = max(1, min(full, int(full * level)))
        for c in range(len(freqs)):
            # A 32-bit LCG per channel; its upper bits give the sample (two draws for 32-bit
            # samples), 0 is skipped.
            x = 0x2545f491 + 0x9e3779b9 * (c + 1) + 0x61c88647 * seed & 0xffffffff
            ch = []
            for _ in range(n):
                v = 0
                while v == 0:
                    x = (x * 1664525 + 1013904223) & 0xffffffff
                    r = x >> 8
                    if bits == 32:
                        x = (x * 1664525 + 1013904223) & 0xffffffff
                        r = (r << 8) ^ (x >> 24)
                    v = r % (2 * amp + 1) - amp
                ch.append(v)
            chans.append(ch)
    else:
        ramp = max(1, int(rate * 0.010))
        for f in freqs:
            chans.append([round(full * level * min(1.0, i / ramp, (n - 1 - i) / ramp) *
                                math.sin(2 * math.pi * f * i / rate)) for i in range(n)])
    write_pcm(path, rate, chans, bits)


# --- analysis helpers ---------------------------------------------------------------------

def goertzel(x, rate, f):
    """Power of frequency f in x, normalised so that a full-scale sine gives about 1."""
    k = 2.0 * math.cos(2.0 * math.pi * f / rate)
    s1 = s2 = 0.0
    for v in x:
        s1, s2 = v + k * s1 - s2, s1
    return 4.0 * (s1 * s1 + s2 * s2 - k * s1 * s2) / (len(x) * len(x))


def dominant(x, rate):
    coarse = max(range(100, 4001, 20), key=lambda f: goertzel(x, rate, f))
    return max(range(coarse - 20, coarse + 21), key=lambda f: goertzel(x, rate, f))


def active_span(pcm, threshold=0):
    """First and last frame where any channel's magnitude exceeds threshold (full scale 1),
    or None."""
    lim = threshold * pcm.full_scale
    first = last = None
    for c in pcm.chans:
        idx = [i for i, v in enumerate(c) if abs(v) > lim]
        if idx:
            first = idx[0] if first is None else min(first, idx[0])
            last = idx[-1] if last is None else max(last, idx[-1])
    return None if first is None else (first, last + 1)


def db(ratio):
    return 20 * math.log10(ratio) if ratio > 0 else -math.inf


def verdict(ok, text):
    print(f'{"PASS" if ok else "FAIL"}: {text}')
    return ok


def load(path):
    try:
        return read_pcm(path)
    except (OSError, ValueError, struct.error) as e:
        print(f'ERROR: cannot read {path}: {e}')
        return None


def describe(path, pcm):
    print(f'{path}: {pcm.rate} Hz, {len(pcm.chans)} channels, {8 * pcm.width}-bit, '
          f'{pcm.frames} frames ({pcm.frames / pcm.rate:.3f} s)')


# --- check ---------------------------------------------------------------------------------

def check(path, freqs, min_secs, level):
    pcm = load(path)
    if pcm is None:
        return 2
    describe(path, pcm)
    rate = pcm.rate
    if len(pcm.chans) != len(freqs):
        print(f'FAIL: {len(pcm.chans)} channels, expected {len(freqs)}')
        return 1
    span = active_span(pcm, 1e-3)
    if span is None:
        print('FAIL: the file is silent')
        return 1
    secs = (span[1] - span[0]) / rate
    ok = verdict(secs >= min_secs, f'{secs:.3f} s of signal (need >= {min_secs} s)')
    # Analyse a window from the middle of the signal, clear of the ramps.
    mid = (span[0] + span[1]) // 2
    lo = max(span[0], mid - WINDOW // 2)
    want_rms = level / math.sqrt(2)
    for c, f_exp in enumerate(freqs):
        win = pcm.floats(c, lo, lo + WINDOW)
        if len(win) < 1024:
            ok = verdict(False, f'ch{c}: only {len(win)} samples to analyse')
            continue
        f = dominant(win, rate)
        ok &= verdict(abs(f - f_exp) <= 0.02 * f_exp,
                      f'ch{c}: dominant {f} Hz, expected {f_exp:g} Hz')
        p_own = goertzel(win, rate, f_exp)
        for f_other in freqs:
            if f_other == f_exp:
                continue
            p_other = goertzel(win, rate, f_other)
            sep = 10 * math.log10(p_own / p_other) if p_other > 0 else math.inf
            ok &= verdict(sep >= 20, f'ch{c}: {f_exp:g} Hz is {sep:.1f} dB above '
                          f'{f_other:g} Hz')
        rms = math.sqrt(sum(v * v for v in win) / len(win))
        d = db(rms / want_rms)
        ok &= verdict(abs(d) <= 3, f'ch{c}: rms {rms:.4f} ({d:+.1f} dB from {want_rms:.4f})')
    print(f'RESULT: {"PASS" if ok else "FAIL"}')
    return 0 if ok else 1


# --- match ---------------------------------------------------------------------------------

def match(out_path, ref_path, skip, loop, max_gaps, min_frames):
    out, ref = load(out_path), load(ref_path)
    if out is None or ref is None:
        return 2
    describe(out_path, out)
    describe(ref_path, ref)
    nch = len(ref.chans)
    if len(out.chans) != nch or out.rate != ref.rate or out.width < ref.width:
        print('FAIL: channel count, rate or sample width do not fit')
        return 1
    shift = 8 * (out.width - ref.width)
    o = out.chans
    r = [array.array('q', (v << shift for v in ch)) for ch in ref.chans] if shift else \
        ref.chans
    n, m = ref.frames, out.frames
    span = active_span(out)
    if span is None:
        print('FAIL: the output is silent')
        return 1
    first = span[0]
    print(f'first sound at frame {first} ({first / out.rate:.3f} s)')
    start = first + skip
    probe = 32
    if start + probe > m:
        print('FAIL: the output ends before the comparison could start')
        return 1
    # Where in REF does OUT[start:start+probe] lie? (every channel must agree)
    want = [o[c][start:start + probe] for c in range(nch)]
    ext = [r[c] + r[c][:probe] if loop else r[c] for c in range(nch)]
    pos = None
    lead = want[0][0]
    k = -1
    while True:
        try:
            k = ext[0].index(lead, k + 1)
        except ValueError:
            break
        if k >= n:
            break
        if all(ext[c][k:k + probe] == want[c] for c in range(nch)):
            pos = k
            break
    if pos is None:
        print(f'FAIL: output frames {start}..{start + probe} are found nowhere in the '
              'reference')
        return 1
    print(f'output frame {start} is reference frame {pos} (reference frame 0 at output '
          f'frame {start - pos})' if not loop else
          f'output frame {start} is reference frame {pos} of the loop')
    # Before that: the start ramp of a volume, which may only attenuate (gain 0 to 1).
    def ref_at(k, c):
        j = pos - (start - k)
        return r[c][j % n] if loop or j >= 0 else 0
    worse = [k for k in range(first, start)
             if any(not ramped(o[c][k], ref_at(k, c)) for c in range(nch))]
    ok = verdict(not worse, f'output frames {first}..{start} are the reference frames '
                 f'before {pos} attenuated (a start ramp)' +
                 (f'; not frame {worse[0]} ({len(worse)} such)' if worse else ''))
    # Walk: every output frame is the next reference frame, or a silent gap frame.
    i, j, matched, gaps, gap_frames, in_gap, bad = start, pos, 0, 0, 0, False, None
    while i < m:
        if not loop and j >= n:
            break
        jj = j % n
        if all(o[c][i] == r[c][jj] for c in range(nch)):
            matched += 1
            j += 1
            in_gap = False
        elif all(o[c][i] == 0 for c in range(nch)):
            gap_frames += 1
            if not in_gap:
                gaps += 1
                in_gap = True
                print(f'gap at output frame {i} (before reference frame {jj})')
        else:
            bad = (i, jj)
            break
        i += 1
    if bad:
        i, jj = bad
        ok = verdict(False, f'output frame {i} is '
                     f'{[o[c][i] for c in range(nch)]}, reference frame {jj} is '
                     f'{[r[c][jj] for c in range(nch)]} (after {matched} matching frames)')
    if loop:
        # A recording ends where it ends; trailing silence would be a gap that never closed.
        ok &= verdict(not in_gap, 'the recording does not end in silence')
    else:
        tail = [idx for idx in range(i, m) if any(o[c][idx] for c in range(nch))]
        ok &= verdict(not tail, f'silence after the reference ended at output frame {i}' +
                      (f' (sound at frame {tail[0]}, {len(tail)} frames)' if tail else ''))
    if min_frames is None:
        min_frames = m - start if loop else max(0, n - skip - PERIOD)
    ok &= verdict(matched >= min_frames, f'{matched} frames equal the reference '
                  f'({matched / out.rate:.3f} s; need >= {min_frames})')
    ok &= verdict(gaps <= max_gaps, f'{gaps} gaps ({gap_frames} silent frames inserted; '
                  f'at most {max_gaps} allowed)')
    print(f'RESULT: {"PASS" if ok else "FAIL"}')
    return 0 if ok else 1


def ramped(v, ref):
    """v is ref times a gain from 0 to 1 (either sign may round towards zero)."""
    return abs(v) <= abs(ref) and (v == 0 or (v > 0) == (ref > 0))


# --- block analysis ------------------------------------------------------------------------

def block_frames(rate):
    return int(rate * BLOCK_SECS)


def tone_table(rate, f, n):
    w = 2 * math.pi * f / rate
    return ([math.cos(w * i) for i in range(n)], [math.sin(w * i) for i in range(n)])


def amplitude(x, table):
    """Amplitude of the table's tone in x (x holds whole periods of it)."""
    re = sum(map(operator.mul, x, table[0]))
    im = sum(map(operator.mul, x, table[1]))
    return 2 * math.hypot(re, im) / len(x)


def blocks_of(pcm):
    """Start frames of the 100 ms blocks inside the non-silent part."""
    span = active_span(pcm)
    if span is None:
        return []
    b = block_frames(pcm.rate)
    return list(range(span[0], span[1] - b + 1, b))


def level(path, freq, lvl, change, tol):
    pcm = load(path)
    if pcm is None:
        return 2
    describe(path, pcm)
    b = block_frames(pcm.rate)
    if abs(freq * BLOCK_SECS - round(freq * BLOCK_SECS)) > 1e-9:
        print(f'ERROR: {freq:g} Hz has no whole number of periods in {BLOCK_SECS} s')
        return 2
    starts = blocks_of(pcm)
    if len(starts) < 4:
        print('FAIL: less than 0.4 s of sound')
        return 1
    table = tone_table(pcm.rate, freq, b)
    # Per block: the RMS over all channels, in dB relative to LEVEL's.
    levels = []
    for s in starts:
        power = 0.0
        for c in range(len(pcm.chans)):
            x = pcm.floats(c, s, s + b)
            power += sum(v * v for v in x) / b
        rms = math.sqrt(power / len(pcm.chans))
        levels.append(db(rms / (lvl / math.sqrt(2))))
    # Drop the first and last block (the stream's start ramp, its end).
    inner = levels[1:-1]
    print('block levels (dB rel. %.3f): %s' % (lvl, ' '.join(f'{v:+.2f}' for v in inner)))
    before = [i for i, v in enumerate(inner) if abs(v) <= tol]
    after = [i for i, v in enumerate(inner) if abs(v - change) <= tol]
    ok = verdict(len(before) * BLOCK_SECS >= 0.5,
                 f'{len(before)} blocks at {0:+.1f} dB (within {tol} dB)')
    ok &= verdict(len(after) * BLOCK_SECS >= 0.5,
                  f'{len(after)} blocks at {change:+.1f} dB (within {tol} dB)')
    if before and after:
        ok &= verdict(before[-1] < after[0], 'the level changes once, downwards in time')
        between = after[0] - before[-1] - 1
        ok &= verdict(between <= 2, f'{between} blocks between the two levels (at most 2)')
        ok &= verdict(before == list(range(before[-1] + 1)) and
                      after == list(range(after[0], len(inner))),
                      'no block outside the two levels except at the change')
        lb = sum(inner[i] for i in before) / len(before)
        la = sum(inner[i] for i in after) / len(after)
        print(f'mean level before {lb:+.3f} dB, after {la:+.3f} dB: change {la - lb:+.3f} dB '
              f'(want {change:+.1f})')
        ok &= verdict(abs(la - lb - change) <= tol, f'change {la - lb:+.3f} dB within {tol} '
                      f'dB of {change:+.1f} dB')
    print(f'RESULT: {"PASS" if ok else "FAIL"}')
    return 0 if ok else 1


def tone_arg(s):
    f, _, a = s.partition(':')
    return float(f), float(a)


def tones(path, want, min_both, tol):
    pcm = load(path)
    if pcm is None:
        return 2
    describe(path, pcm)
    b = block_frames(pcm.rate)
    for f, _ in want:
        if abs(f * BLOCK_SECS - round(f * BLOCK_SECS)) > 1e-9:
            print(f'ERROR: {f:g} Hz has no whole number of periods in {BLOCK_SECS} s')
            return 2
    tables = [tone_table(pcm.rate, f, b) for f, _ in want]
    starts = blocks_of(pcm)
    present = 0.1       # a tone sounds in a block when its amplitude is 1/10 of its own
    # Per block and tone: the amplitude, the smallest over the channels.
    amps, resid = [], []
    for s in starts:
        row, worst_res = [], 0.0
        for c in range(len(pcm.chans)):
            x = pcm.floats(c, s, s + b)
            a_c = [amplitude(x, t) for t in tables]
            row.append(a_c)
            power = sum(v * v for v in x) / b
            tone_power = sum(a * a / 2 for a in a_c)
            worst_res = max(worst_res, max(0.0, power - tone_power))
        amps.append([min(r[k] for r in row) for k in range(len(want))])
        resid.append(worst_res)
    sounding = [[a[k] >= present * want[k][1] for k in range(len(want))] for a in amps]
    both = [i for i, s in enumerate(sounding) if all(s)]
    # The first and last block where all sound may hold a start or an end: not judged.
    judged = both[1:-1]
    ok = verdict(len(judged) * BLOCK_SECS >= min_both,
                 f'{len(judged) * BLOCK_SECS:.1f} s where every tone sounds '
                 f'(need >= {min_both})')
    for k, (f, a) in enumerate(want):
        if not judged:
            break
        got = [db(amps[i][k] / a) for i in judged]
        worst = max(got, key=abs)
        ok &= verdict(abs(worst) <= tol, f'{f:g} Hz: amplitude {a} within {worst:+.3f} dB '
                      f'in every mixed block (tolerance {tol} dB; mean '
                      f'{sum(got) / len(got):+.3f} dB)')
    if judged:
        quiet = min(a for _, a in want) ** 2 / 2
        worst = max(resid[i] for i in judged)
        rel = 10 * math.log10(worst / quiet) if worst > 0 else -math.inf
        ok &= verdict(rel <= -60, f'what is not the tones is {rel:.1f} dB below the quietest '
                      'tone (need <= -60)')
    print(f'RESULT: {"PASS" if ok else "FAIL"}')
    return 0 if ok else 1


def departure(path, ref_path, leaves, skip, min_both, min_after, tol, leaves_ref=None):
    out, ref = load(path), load(ref_path)
    if out is None or ref is None:
        return 2
    lref = None
    if leaves_ref is not None:
        lref = load(leaves_ref)
        if lref is None:
            return 2
        if len(lref.chans) != len(ref.chans) or lref.width != ref.width:
            print('FAIL: the two guests\' signals differ in channels or sample width')
            return 1
    describe(path, out)
    describe(ref_path, ref)
    nch, n, m = len(ref.chans), ref.frames, out.frames
    if len(out.chans) != nch or out.rate != ref.rate or out.width < ref.width:
        print('FAIL: channel count, rate or sample width do not fit')
        return 1
    rate = out.rate
    shift = 8 * (out.width - ref.width)
    o = out.chans
    r = [array.array('q', (v << shift for v in ch)) for ch in ref.chans]
    span = active_span(out)
    if span is None:
        print('FAIL: the output is silent')
        return 1
    # REF near the end of the sound (it outlives the sine).
    probe = 32
    p = span[1] - rate // 2
    pos = None
    k = -1
    while True:
        try:
            k = r[0].index(o[0][p], k + 1)
        except ValueError:
            break
        if all(r[c][k:k + probe] == o[c][p:p + probe] for c in range(nch)):
            pos = k
            break
    if pos is None:
        print(f'FAIL: output frames {p}..{p + probe} (0.5 s before the end of the sound) are '
              'found nowhere in the staying guest\'s signal')
        return 1
    z = p - pos
    print(f'the staying signal starts at output frame {z} ({z / rate:.3f} s)')
    ok = verdict(span[0] >= z, 'nothing sounds before the staying signal starts')
    if not ok:
        print('RESULT: FAIL')
        return 1
    # Forward from p: exactly REF until it stops, then silence.
    i = p
    while i < m and i - z < n and all(o[c][i] == r[c][i - z] for c in range(nch)):
        i += 1
    b_end = i
    rest = [x for x in range(b_end, m) if any(o[c][x] for c in range(nch))]
    ok &= verdict(not rest, f'the staying signal ends at output frame {b_end} '
                  f'({b_end / rate:.3f} s, its frame {b_end - z}), silence after it' +
                  (f' (not at frame {rest[0]})' if rest else ''))
    # Back from p: OUT - REF is 0 (REF alone) or the leaving sine.
    fs = out.full_scale
    lo = z + skip
    d = [[o[c][x] - r[c][x - z] for x in range(lo, p)] for c in range(nch)]
    nz = [x for x in range(p - lo) if any(d[c][x] for c in range(nch))]
    if not nz:
        ok = verdict(False, 'the leaving guest\'s sine never shows in the output')
        print('RESULT: FAIL')
        return 1
    a_from, t_a = lo + nz[0], lo + nz[-1] + 1
    print(f'the leaving sine sounds from output frame {a_from} ({a_from / rate:.3f} s) to '
          f'{t_a} ({t_a / rate:.3f} s)')
    after = b_end - t_a
    ok &= verdict(after >= min_after * rate,
                  f'after the leaving guest\'s last frame the output is the staying signal '
                  f'sample for sample for {after} frames ({after / rate:.3f} s; need >= '
                  f'{min_after} s)')
    if lref is not None:
        ok &= exact_difference(d, lo, a_from, t_a, lref, shift, skip, rate)
    # The sine in OUT - REF, 100 ms blocks inside its span (its first and last not judged).
    f, amp = leaves
    b = block_frames(rate)
    table = tone_table(rate, f, b)
    starts = list(range(a_from - lo, t_a - lo - b + 1, b))[1:-1]
    ok &= verdict(len(starts) * BLOCK_SECS >= min_both,
                  f'{len(starts) * BLOCK_SECS:.1f} s of whole blocks where both sound '
                  f'(need >= {min_both})')
    if starts:
        worst_amp, worst_res = 0.0, -math.inf
        for st in starts:
            for c in range(nch):
                x = [v / fs for v in d[c][st:st + b]]
                a = amplitude(x, table)
                if abs(db(a / amp)) > abs(worst_amp):
                    worst_amp = db(a / amp)
                res = max(0.0, sum(v * v for v in x) / b - a * a / 2)
                rel = 10 * math.log10(res / (amp * amp / 2)) if res > 0 else -math.inf
                worst_res = max(worst_res, rel)
        ok &= verdict(abs(worst_amp) <= tol, f'while both sound, output minus the staying '
                      f'signal is {f:g} Hz at {amp} within {worst_amp:+.3f} dB in every block')
        ok &= verdict(worst_res <= -60, f'and nothing else: the rest is {worst_res:.1f} dB '
                      'below it (need <= -60)')
    print(f'RESULT: {"PASS" if ok else "FAIL"}')
    return 0 if ok else 1


def exact_difference(d, lo, a_from, t_a, lref, shift, skip, rate):
    """OUT - REF from a_from to t_a is the leaving guest's signal, sample for sample after
    its start ramp (the first SKIP frames: attenuated only). Returns the verdict."""
    nch = len(d)
    L = [array.array('q', (v << shift for v in ch)) for ch in lref.chans]
    s0 = a_from + skip
    probe = 32
    if s0 + probe > t_a:
        return verdict(False, 'the leaving guest played too short to compare')
    want = [array.array('q', d[c][s0 - lo:s0 - lo + probe]) for c in range(nch)]
    k, pos = -1, None
    while True:
        try:
            k = L[0].index(want[0][0], k + 1)
        except ValueError:
            break
        # A periodic signal matches in many places: the first one that leaves room for
        # the start ramp's frames before it.
        if k >= s0 - a_from and all(L[c][k:k + probe] == want[c] for c in range(nch)):
            pos = k
            break
    if pos is None:
        return verdict(False, f'output minus the staying signal at frame {s0} is nowhere in '
                       'the leaving guest\'s signal')
    n = len(L[0])
    bad = None
    for x in range(s0, t_a):
        j = pos + x - s0
        if j >= n or any(d[c][x - lo] != L[c][j] for c in range(nch)):
            bad = x
            break
    ok = verdict(bad is None, f'output minus the staying signal is the leaving guest\'s '
                 f'signal sample for sample from frame {s0} to its last frame {t_a}' +
                 (f' (not at frame {bad}, {t_a - bad} frames before its end)' if bad else ''))
    worse = [x for x in range(a_from, s0)
             if any(not ramped(d[c][x - lo], L[c][pos + x - s0] if pos + x - s0 >= 0 else 0)
                    for c in range(nch))]
    ok &= verdict(not worse, f'and, before that, its frames attenuated (a start ramp)' +
                  (f'; not frame {worse[0]}' if worse else ''))
    return ok


def freq_list(s):
    return [float(v) for v in s.split(',') if v]


def main():
    ap = argparse.ArgumentParser(description='make or judge VM test signals')
    sub = ap.add_subparsers(dest='cmd', required=True)
    m = sub.add_parser('make')
    m.add_argument('out')
    m.add_argument('--rate', type=int, default=48000)
    m.add_argument('--secs', type=float, default=1.0)
    m.add_argument('--freqs', type=freq_list, default=[440.0, 1000.0])
    m.add_argument('--level', type=float, default=0.5)
    m.add_argument('--signal', choices=('sine', 'noise'), default='sine')
    m.add_argument('--seed', type=int, default=0)
    m.add_argument('--bits', type=int, choices=(16, 32), default=16)
    c = sub.add_parser('check')
    c.add_argument('wav')
    c.add_argument('--freqs', type=freq_list, required=True)
    c.add_argument('--min-secs', type=float, default=0.8)
    c.add_argument('--level', type=float, default=0.5)
    t = sub.add_parser('match')
    t.add_argument('out')
    t.add_argument('ref')
    t.add_argument('--skip', type=int, default=2000)
    t.add_argument('--loop', action='store_true')
    t.add_argument('--max-gaps', type=int, default=0)
    t.add_argument('--min-frames', type=int)
    lv = sub.add_parser('level')
    lv.add_argument('out')
    lv.add_argument('--freq', type=float, required=True)
    lv.add_argument('--level', type=float, required=True)
    lv.add_argument('--change', type=float, required=True)
    lv.add_argument('--tolerance', type=float, default=0.1)
    to = sub.add_parser('tones')
    to.add_argument('out')
    to.add_argument('--tone', type=tone_arg, action='append', required=True)
    to.add_argument('--min-both', type=float, default=1.0)
    to.add_argument('--tolerance', type=float, default=0.1)
    de = sub.add_parser('departure')
    de.add_argument('out')
    de.add_argument('--stays', required=True)
    de.add_argument('--leaves', type=tone_arg, required=True)
    de.add_argument('--leaves-ref')
    de.add_argument('--skip', type=int, default=2000)
    de.add_argument('--min-both', type=float, default=1.0)
    de.add_argument('--min-after', type=float, default=1.0)
    de.add_argument('--tolerance', type=float, default=0.1)
    a = ap.parse_args()
    if a.cmd == 'make':
        make(a.out, a.rate, a.secs, a.freqs, a.level, a.signal, a.seed, a.bits)
        return 0
    if a.cmd == 'check':
        return check(a.wav, a.freqs, a.min_secs, a.level)
    if a.cmd == 'match':
        return match(a.out, a.ref, a.skip, a.loop, a.max_gaps, a.min_frames)
    if a.cmd == 'level':
        return level(a.out, a.freq, a.level, a.change, a.tolerance)
    if a.cmd == 'tones':
        return tones(a.out, a.tone, a.min_both, a.tolerance)
    return departure(a.out, a.stays, a.leaves, a.skip, a.min_both, a.min_after, a.tolerance,
                     a.leaves_ref)


if __name__ == '__main__':
    sys.exit(main())
