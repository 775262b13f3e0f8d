#!/usr/bin/env bash
# Times `imapwebpush decode --json` over the realistic corpus (2,000
# aes128gcm payloads of 3993 bytes, one ECDH each; see
# benches/support/corpus.rs) against Python's http_ece decrypting the same
# file and writing JSON lines (benches/decode_http_ece.py).
#
#   bash benches/decode_vs_python.sh [RUNS]
#
# Builds the release binary, writes the corpus to target/decode-corpus/,
# then runs each side RUNS times (default 10), alternating, and prints the
# wall and CPU times (median, min and max) and the ratio. The Python side
# is skipped with a message if http_ece is not installed (pip install http_ece).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
dir=target/decode-corpus
cargo build --release --quiet --bin imapwebpush
IMAPWEBPUSH_CORPUS_DIR="$dir" cargo bench --quiet --bench decode_corpus >/dev/null
# shellcheck disable=SC1091
. "$dir/keys.env"
bin=target/release/imapwebpush
file="$dir/payloads.txt"

python=1
if ! python3 -c 'import http_ece, cryptography' 2>/dev/null; then
    echo "Python's http_ece is not installed (pip install http_ece): timing decode alone" >&2
    python=0
fi

# Check once that both give the same plaintexts and decryption figures.
"$bin" decode --private-key "$UA_PRIVATE" --auth "$AUTH" --json "$file" >"$dir/rust.jsonl"
if [ "$python" = 1 ]; then
    python3 benches/decode_http_ece.py "$UA_PRIVATE" "$AUTH" "$file" >"$dir/python.jsonl"
    python3 - "$dir/rust.jsonl" "$dir/python.jsonl" <<'PY'
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
p = [json.loads(l) for l in open(sys.argv[2])]
assert len(r) == len(p) == 2000, (len(r), len(p))
for a, b in zip(r, p):
    for k in ("ok", "input", "encoding", "record_size", "records", "padding", "plaintext"):
        assert a[k] == b[k], (k, a[k], b[k])
print("outputs agree on", len(r), "payloads")
PY
fi

# Runs each side $runs times, alternating; wall time from the clock, CPU
# time (user + system) from wait4.
python3 - "$runs" "$python" "$bin" "$UA_PRIVATE" "$AUTH" "$file" <<'PY'
import os, statistics, subprocess, sys, time

runs, python, binary, key, auth, path = sys.argv[1:]
sides = {"decode --json": [binary, "decode", "--private-key", key, "--auth", auth, "--json", path]}
if python == "1":
    sides["python http_ece"] = [sys.executable, "benches/decode_http_ece.py", key, auth, path]
times = {name: [] for name in sides}
for _ in range(int(runs)):
    for name, argv in sides.items():
        t = time.perf_counter()
        p = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t
        assert status == 0, (name, status)
        times[name].append((wall, ru.ru_utime + ru.ru_stime))
ms = lambda x: f"{x * 1000:.0f}"
for name, rows in times.items():
    wall = sorted(r[0] for r in rows)
    cpu = sorted(r[1] for r in rows)
    busy = sorted(r[1] / r[0] for r in rows)
    print(f"{name}: wall median {ms(statistics.median(wall))} ms [{ms(wall[0])}-{ms(wall[-1])}], "
          f"CPU median {ms(statistics.median(cpu))} ms [{ms(cpu[0])}-{ms(cpu[-1])}] "
          f"({statistics.median(cpu) / 2000 * 1e6:.0f} µs per payload), "
          f"cores busy median {statistics.median(busy):.2f} [{busy[0]:.2f}-{busy[-1]:.2f}]")
if python == "1":
    ratios = sorted(p[0] / r[0] for r, p in zip(times["decode --json"], times["python http_ece"]))
    print(f"decode is {statistics.median(ratios):.1f}x faster than Python's http_ece "
          f"(wall, median of alternating pairs; spread {ratios[0]:.1f}-{ratios[-1]:.1f})")
PY
