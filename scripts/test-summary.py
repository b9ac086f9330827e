#!/usr/bin/env python3
"""Summarise a meson test run from BUILD/meson-logs/testlog.json.

Prints one line per failed test, then a last line "N passed, N failed[, N skipped]".
Exit status 1 when any test failed or no test ran.
"""
import json
import sys


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build-check"
    path = f"{build}/meson-logs/testlog.json"
    passed = failed = skipped = 0
    try:
        with open(path, encoding="utf-8") as f:
            lines = [l for l in f if l.strip()]
    except OSError as e:
        print(f"test-summary: {e}")
        print("0 passed, 1 failed")
        return 1
    for line in lines:
        t = json.loads(line)
        result = t.get("result", "")
        if result in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif result == "SKIP":
            skipped += 1
        else:
            failed += 1
            print(f"FAILED: {t.get('name')} ({result}, {t.get('duration', 0):.1f} s)")
    tail = f", {skipped} skipped" if skipped else ""
    print(f"{passed} passed, {failed} failed{tail}")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
