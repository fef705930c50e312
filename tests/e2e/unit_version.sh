#!/usr/bin/env bash
# unit_version.sh — the build string (issue 26): `doseval --version` prints the version and the
# build (git describe, compiler, build type, flags); summary.json and report.html carry the same
# string; cmake/build_info.cmake says "unknown" outside a git work tree (a release tarball, or one
# unpacked inside another repository), follows tags and local changes, escapes the string for C,
# and leaves its output alone when nothing changed.
# Usage: bash tests/e2e/unit_version.sh /path/to/doseval /path/to/repo
set -uo pipefail
doseval=$1
repo=$2
config="$repo/configs/nct05563545.yaml"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# 1. --version: the version of CMakeLists.txt, then the build.
"$doseval" --version >"$tmp/version" || fail "--version exited $?"
want=$(sed -n 's/^project(doseval VERSION \([0-9.]*\) .*/\1/p' "$repo/CMakeLists.txt")
[ -n "$want" ] || fail "no version in CMakeLists.txt"
[ "$(sed -n 1p "$tmp/version")" = "doseval $want" ] || fail "first line: $(sed -n 1p "$tmp/version")"
build=$(sed -n 's/^build: //p' "$tmp/version")
[ "$(wc -l <"$tmp/version")" -eq 2 ] && [ -n "$build" ] || fail "no build line: $(cat "$tmp/version")"
IFS=';' read -r git compiler flags <<<"$build"
grep -qE '^ (GNU|Clang|AppleClang|IntelLLVM) [0-9]+\.' <<<"$compiler" || fail "no compiler in '$build'"
grep -qE '^ [A-Za-z]+: .*-std=c11' <<<"$flags" || fail "no build type and flags in '$build'"
if [ "$(git -C "$repo" rev-parse --show-toplevel 2>/dev/null)" = "$(cd "$repo" && pwd -P)" ]; then
  # a commit of this repository (the build may predate the last commit)
  commit=$(sed -E -e 's/-dirty$//' -e 's/^.*-g([0-9a-f]+)$/\1/' <<<"$git")
  commit=$(git -C "$repo" rev-parse --verify -q "$commit^{commit}" 2>/dev/null ||
    git -C "$repo" rev-parse --verify -q "refs/tags/$commit^{commit}") ||
    fail "'$git' is not a commit or tag of $repo"
  echo "ok: --version names commit ${commit:0:12} ($git)"
else
  [ "$git" = unknown ] || fail "not a git work tree, yet the build names '$git'"
fi
echo "ok: --version: doseval $want, build: $build"

# 2. summary.json and report.html carry the same string.
"$doseval" exact "$config" --design BOIN --scenario Flat --out "$tmp/out" >/dev/null || fail "exact"
python3 - "$tmp/out" "$build" <<'EOF' || fail "summary.json / report.html (above)"
import html, json, re, sys
out, build = sys.argv[1], sys.argv[2]
s = json.load(open(f"{out}/summary.json"))
assert s.get("build") == build, f"summary.json build: {s.get('build')!r}"
m = re.search(r"<dt>build</dt><dd>(.*?)</dd>", open(f"{out}/report.html").read())
assert m and html.unescape(m.group(1)) == build, f"report.html build: {m and m.group(1)!r}"
EOF
echo "ok: summary.json and report.html carry the build"

# 3. The script that writes the string.
command -v cmake >/dev/null || fail "cmake is not installed"
gen() { # SOURCE_DIR COMPILER: writes $tmp/b.c
  cmake -DSOURCE_DIR="$1" -DTEMPLATE="$repo/src/base/build_info.c.in" -DOUT="$tmp/b.c" \
    "-DCOMPILER=$2" -DGIT="$(command -v git)" -P "$repo/cmake/build_info.cmake" || fail "cmake -P failed"
}
string_of() { # the string the generated file returns, through a C compiler
  printf '#include <stdio.h>\nconst char *build_info(void);\nint main(void) { puts(build_info()); }\n' \
    >"$tmp/m.c"
  ${CC:-cc} -I"$repo/src/base" -o "$tmp/m" "$tmp/m.c" "$tmp/b.c" || fail "the generated file does not compile"
  "$tmp/m"
}
mkdir "$tmp/tarball"
gen "$tmp/tarball" 'cc 1; Release: -O2'
[ "$(string_of)" = "unknown; cc 1; Release: -O2" ] || fail "a tarball: '$(string_of)'"
git init -q "$tmp/outer" && mkdir "$tmp/outer/doseval-0.1.0"
g() { git -C "$tmp/outer" -c user.name=t -c user.email=t@t "$@"; }
echo a >"$tmp/outer/f" && g add f && g commit -q -m one && g tag v9.9
gen "$tmp/outer/doseval-0.1.0" 'cc 1; Release: -O2'
[ "$(string_of)" = "unknown; cc 1; Release: -O2" ] || fail "a tarball inside a repository: '$(string_of)'"
echo "ok: outside a git work tree the build is 'unknown'"
gen "$tmp/outer" 'cc "quoted" \ back'
[ "$(string_of)" = 'v9.9; cc "quoted" \ back' ] || fail "a tagged commit: '$(string_of)'"
touch -d '2000-01-01' "$tmp/b.c"
gen "$tmp/outer" 'cc "quoted" \ back'
[ "$(stat -c %Y "$tmp/b.c")" = "$(date -d 2000-01-01 +%s)" ] || fail "an unchanged string rewrote the file"
echo b >"$tmp/outer/f"
gen "$tmp/outer" 'cc 1'
[ "$(string_of)" = "v9.9-dirty; cc 1" ] || fail "local changes: '$(string_of)'"
echo "ok: tags, local changes and quotes; an unchanged string leaves the file alone"
