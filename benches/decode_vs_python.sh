#!/usr/bin/env bash
# Times `imapwebpush decode --json` over the realistic corpus (2,000
# aes128gcm payloads of 3993 bytes, one ECDH each; see
# benches/support/corpus.rs) against Python's http_ece decrypting the same
# file and writing JSON lines (benches/decode_http_ece.py).
#
#   bash benches/decode_vs_python.sh [RUNS]
#
# Builds the release binary, writes the corpus to target/decode-corpus/,
# then runs each side RUNS times (default 10), alternating, and prints every
# wall and CPU time with the median, min and max. The Python side is skipped
# with a message if http_ece is not installed (pip install http_ece).
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

# One run: wall and user+system seconds.
measure() {
    local t0 t1 cpu
    t0=$(date +%s.%N)
    cpu=$( { /usr/bin/env time -f '%U %S' "$@" >/dev/null 2>/dev/null; } 2>&1 | tail -1)
    t1=$(date +%s.%N)
    echo "$(echo "$t1 - $t0" | bc -l) $(echo "$cpu" | awk '{print $1 + $2}')"
}

if ! command -v /usr/bin/time >/dev/null; then
    echo "needs /usr/bin/time (apt-get install time)" >&2
    exit 2
fi

# Check once that both produce the same plaintexts.
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

rust=()
py=()
for _ in $(seq "$runs"); do
    rust+=("$(measure "$bin" decode --private-key "$UA_PRIVATE" --auth "$AUTH" --json "$file")")
    if [ "$python" = 1 ]; then
        py+=("$(measure python3 benches/decode_http_ece.py "$UA_PRIVATE" "$AUTH" "$file")")
    fi
done

summary() {
    local name=$1
    shift
    printf '%s\n' "$@" | python3 -c '
import statistics, sys
name = sys.argv[1]
rows = [tuple(map(float, l.split())) for l in sys.stdin if l.strip()]
wall = sorted(r[0] for r in rows)
cpu = sorted(r[1] for r in rows)
ms = lambda x: f"{x * 1000:.0f}"
print(f"{name}: wall median {ms(statistics.median(wall))} ms [{ms(wall[0])}-{ms(wall[-1])}], "
      f"CPU median {ms(statistics.median(cpu))} ms [{ms(cpu[0])}-{ms(cpu[-1])}], "
      f"{statistics.median(cpu) / statistics.median(wall):.2f} cores busy, "
      f"{statistics.median(cpu) / 2000 * 1e6:.0f} µs CPU per payload")
' "$name"
}
summary "decode --json" "${rust[@]}"
if [ "$python" = 1 ]; then
    summary "python http_ece" "${py[@]}"
    printf '%s\n' "${rust[@]}" >"$dir/rust.times"
    printf '%s\n' "${py[@]}" >"$dir/python.times"
    python3 - "$dir/rust.times" "$dir/python.times" <<'PY'
import statistics, sys
r = statistics.median(float(l.split()[0]) for l in open(sys.argv[1]))
p = statistics.median(float(l.split()[0]) for l in open(sys.argv[2]))
print(f"decode is {p / r:.1f}x faster than Python's http_ece (median wall times)")
PY
fi
