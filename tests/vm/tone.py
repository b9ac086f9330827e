#!/usr/bin/env python3
"""Test tones for the VM tests: write one, or check that a recording carries it.

  tone.py make OUT.wav [--rate 48000] [--secs 1.0] [--freqs 440,1000] [--level 0.5]
      S16_LE PCM, one channel per frequency, a sine of amplitude LEVEL (full scale = 1)
      with 10 ms ramps at both ends so that starting and stopping do not click.

  tone.py check IN.wav --freqs 440,1000 [--min-secs 0.8] [--level 0.5]
      For every channel: the strongest frequency between 100 Hz and 4 kHz (Goertzel filter
      bank, then a 1 Hz refinement) must be within 2 % of the expected one, the expected tone
      must stand at least 20 dB above every other channel's tone (no swapped or mixed
      channels), and the RMS level must be within 3 dB of LEVEL/sqrt(2). The part of the
      file that is not silent must last at least --min-secs. Prints one line per finding and
      'RESULT: PASS' or 'RESULT: FAIL'; exit status 0, 1 (mismatch) or 2 (unreadable).

Standard library only. Also reads a WAV whose header sizes were never patched (a writer that
was killed): the data chunk then runs to the end of the file.
"""
import argparse
import math
import struct
import sys
import wave

WINDOW = 8192           # samples per analysis window (170 ms at 48 kHz)


def make(path, rate, secs, freqs, level):
    n = int(rate * secs)
    ramp = max(1, int(rate * 0.010))
    out = bytearray()
    for i in range(n):
        g = level * min(1.0, i / ramp, (n - 1 - i) / ramp)
        for f in freqs:
            v = round(32767 * g * math.sin(2 * math.pi * f * i / rate))
            out += struct.pack('<h', v)
    with wave.open(path, 'wb') as w:
        w.setnchannels(len(freqs))
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(bytes(out))


def read_s16(path):
    """Return (rate, [channel samples as floats in -1..1])."""
    try:
        with wave.open(path, 'rb') as w:
            nch, width, rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
            raw = w.readframes(w.getnframes())
    except (wave.Error, EOFError):
        data = open(path, 'rb').read()
        fmt = data.find(b'fmt ')
        pcm = data.find(b'data')
        if data[:4] != b'RIFF' or fmt < 0 or pcm < 0:
            raise ValueError('not a RIFF/WAVE file')
        _, nch, rate, _, _, bits = struct.unpack('<HHIIHH', data[fmt + 8:fmt + 24])
        width = bits // 8
        raw = data[pcm + 8:]
    if width != 2 or nch < 1:
        raise ValueError(f'need 16-bit PCM, got {width * 8}-bit with {nch} channels')
    frames = len(raw) // (2 * nch)
    s = struct.unpack(f'<{frames * nch}h', raw[:frames * nch * 2])
    return rate, [[v / 32768.0 for v in s[c::nch]] for c in range(nch)]


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


def active_span(chans, threshold=1e-3):
    """First and last frame where any channel exceeds threshold, or None."""
    n = len(chans[0])
    loud = [i for i in range(n) if any(abs(c[i]) > threshold for c in chans)]
    return (loud[0], loud[-1] + 1) if loud else None


def check(path, freqs, min_secs, level):
    try:
        rate, chans = read_s16(path)
    except (OSError, ValueError, struct.error) as e:
        print(f'ERROR: cannot read {path}: {e}')
        return 2
    ok = True
    print(f'{path}: {rate} Hz, {len(chans)} channels, {len(chans[0]) / rate:.3f} s')
    if len(chans) != len(freqs):
        print(f'FAIL: {len(chans)} channels, expected {len(freqs)}')
        return 1
    span = active_span(chans)
    if span is None:
        print('FAIL: the file is silent')
        return 1
    secs = (span[1] - span[0]) / rate
    good = secs >= min_secs
    print(f'{"PASS" if good else "FAIL"}: {secs:.3f} s of signal (need >= {min_secs} s)')
    ok &= good
    # Analyse a window from the middle of the signal, clear of the ramps.
    mid = (span[0] + span[1]) // 2
    lo = max(span[0], mid - WINDOW // 2)
    want_rms = level / math.sqrt(2)
    for c, (x, f_exp) in enumerate(zip(chans, freqs)):
        win = x[lo:lo + WINDOW]
        if len(win) < 1024:
            print(f'FAIL: ch{c}: only {len(win)} samples to analyse')
            ok = False
            continue
        f = dominant(win, rate)
        good = abs(f - f_exp) <= 0.02 * f_exp
        print(f'{"PASS" if good else "FAIL"}: ch{c}: dominant {f} Hz, expected {f_exp:g} Hz')
        ok &= good
        p_own = goertzel(win, rate, f_exp)
        for f_other in freqs:
            if f_other == f_exp:
                continue
            p_other = goertzel(win, rate, f_other)
            sep = 10 * math.log10(p_own / p_other) if p_other > 0 else math.inf
            good = sep >= 20
            print(f'{"PASS" if good else "FAIL"}: ch{c}: {f_exp:g} Hz is {sep:.1f} dB above '
                  f'{f_other:g} Hz')
            ok &= good
        rms = math.sqrt(sum(v * v for v in win) / len(win))
        db = 20 * math.log10(rms / want_rms) if rms > 0 else -math.inf
        good = abs(db) <= 3
        print(f'{"PASS" if good else "FAIL"}: ch{c}: rms {rms:.4f} ({db:+.1f} dB from '
              f'{want_rms:.4f})')
        ok &= good
    print(f'RESULT: {"PASS" if ok else "FAIL"}')
    return 0 if ok else 1


def freq_list(s):
    return [float(v) for v in s.split(',') if v]


def main():
    ap = argparse.ArgumentParser(description='make or check VM test tones')
    sub = ap.add_subparsers(dest='cmd', required=True)
    m = sub.add_parser('make')
    m.add_argument('out')
    m.add_argument('--rate', type=int, default=48000)
    m.add_argument('--secs', type=float, default=1.0)
    m.add_argument('--freqs', type=freq_list, default=[440.0, 1000.0])
    m.add_argument('--level', type=float, default=0.5)
    c = sub.add_parser('check')
    c.add_argument('wav')
    c.add_argument('--freqs', type=freq_list, required=True)
    c.add_argument('--min-secs', type=float, default=0.8)
    c.add_argument('--level', type=float, default=0.5)
    a = ap.parse_args()
    if a.cmd == 'make':
        make(a.out, a.rate, a.secs, a.freqs, a.level)
        return 0
    return check(a.wav, a.freqs, a.min_secs, a.level)


if __name__ == '__main__':
    sys.exit(main())
