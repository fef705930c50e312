#!/usr/bin/env bash
# unit_config_echo.sh — summary.json echoes the config's text whole (src/results/write_json.c writes
# cfg->text): a config above 64 KiB, padded with a long comment of quotes, backslashes and
# non-ASCII text, and one of exactly CONFIG_MAX_BYTES (16 MiB) come back byte for byte in valid
# JSON; a config one byte longer is refused with exit 2, a message naming the file and the limit,
# and nothing written (issue 18 item 9; SPEC 5, README "Outputs").
# Usage: bash tests/e2e/unit_config_echo.sh /path/to/doseval /path/to/repo
set -uo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 /path/to/doseval /path/to/repo" >&2
  exit 2
fi
[[ -f "$1" && -x "$1" ]] || { echo "FAIL: $1 is not an executable" >&2; exit 1; }
doseval="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
repo="$(cd "$2" && pwd)"
valid="$repo/tests/data/valid_overrides.yaml"
max_bytes=$((16 << 20)) # CONFIG_MAX_BYTES in src/study/config.h
export OMPI_ALLOW_RUN_AS_ROOT="${OMPI_ALLOW_RUN_AS_ROOT:-1}"
export OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="${OMPI_ALLOW_RUN_AS_ROOT_CONFIRM:-1}"

tmp=$(mktemp -d) || { echo "FAIL: mktemp -d" >&2; exit 1; }
trap 'rm -rf "$tmp"' EXIT

fail() {
  echo "FAIL: $*" >&2
  [[ -s "$tmp/stderr" ]] && { echo "--- stderr:" >&2; cat "$tmp/stderr" >&2; }
  exit 1
}

# padded SIZE OUT: valid_overrides.yaml followed by comment lines, cut to exactly SIZE bytes
# (the last line is a comment without its newline).
padded() {
  local size=$1 out=$2
  python3 - "$valid" "$size" "$out" <<'EOF' || fail "could not write $out"
import sys
valid, size, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
text = open(valid, "rb").read()
line = '# padding: "quoted", back\\slash, tab\tinside, µg/kg, ≤ 0.30, 日本語\n'.encode()
pad = line * ((size - len(text)) // len(line) + 1)
data = (text + pad)[:size]
while data[-1] & 0xC0 == 0x80:  # end on a whole UTF-8 character: pad with ASCII instead
    data = data[:-1]
data += b"#" * (size - len(data))
assert len(data) == size
open(out, "wb").write(data)
EOF
}

# echoed CONFIG: `doseval exact CONFIG` succeeds and summary.json is valid JSON whose "config"
# is the file's text, byte for byte.
echoed() {
  local cfg=$1 label=$2
  rm -rf "$tmp/out"
  "$doseval" exact "$cfg" --out "$tmp/out" >"$tmp/stdout" 2>"$tmp/stderr" ||
    fail "$label: doseval exact exited $?"
  python3 - "$cfg" "$tmp/out/summary.json" <<'EOF' || fail "$label: summary.json does not echo the config"
import json, sys
cfg, summary = sys.argv[1], sys.argv[2]
with open(summary, "rb") as f:
    doc = json.loads(f.read().decode("utf-8"))  # raises on invalid JSON
want = open(cfg, "rb").read().decode("utf-8")
got = doc.get("config")
if got != want:
    n = -1 if got is None else len(got.encode())
    sys.exit(f"config in summary.json: {n} bytes, the file has {len(want.encode())}")
EOF
  echo "ok   $label"
}

padded 100000 "$tmp/big.yaml"
echoed "$tmp/big.yaml" "a config of 100000 bytes (above 64 KiB) is echoed whole"
padded "$max_bytes" "$tmp/max.yaml"
echoed "$tmp/max.yaml" "a config of exactly $max_bytes bytes (CONFIG_MAX_BYTES) is echoed whole"

padded $((max_bytes + 1)) "$tmp/over.yaml"
rm -rf "$tmp/out"
status=0
"$doseval" exact "$tmp/over.yaml" --out "$tmp/out" >"$tmp/stdout" 2>"$tmp/stderr" || status=$?
[[ $status -eq 2 ]] || fail "a config of $((max_bytes + 1)) bytes: exit $status, expected 2"
grep -qF "over.yaml: more than $max_bytes bytes; allowed: a config of at most $max_bytes" \
  "$tmp/stderr" || fail "a config of $((max_bytes + 1)) bytes: no message naming the limit"
[[ ! -e "$tmp/out" ]] || fail "a config of $((max_bytes + 1)) bytes: $tmp/out was created"
echo "ok   a config of $((max_bytes + 1)) bytes is refused"

echo "unit_config_echo: all cases passed"
