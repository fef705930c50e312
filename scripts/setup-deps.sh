#!/usr/bin/env bash
# Installs the Debian packages of SPEC section 3 that are missing, and the checking tools of
# tests/fuzz/README.md (valgrind, clang with libFuzzer); silent when all are present.
set -euo pipefail
pkgs=(openmpi-bin libopenmpi-dev libcyaml-dev libjansson-dev libcriterion-dev libpcg-cpp-dev
      slurm-wlm munge cmake gcc g++ make pkg-config chromium fonts-dejavu-core poppler-utils python3 strace
      valgrind clang libclang-rt-14-dev)
missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "setup: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
