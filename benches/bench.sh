#!/usr/bin/env bash
# Speed of the everyday paths, with hyperfine (apt-get install hyperfine),
# on the local driver (root). Targets, for comparison with Docker Machine
# 0.16.2 on this machine kind (DESIGN.md): create -d generic on a ready host
# 15.7-16.0 s and 20 SSH connections; env 18 ms; ls with one host 27 ms.
#   bash benches/bench.sh            # builds the release binaries first
#   BIN=target/debug bash benches/bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BIN:-}" ]; then
  cargo build --release --locked --bins
  BIN=target/release
fi
command -v hyperfine >/dev/null || { echo "install hyperfine: apt-get install -y hyperfine" >&2; exit 1; }
store=$(mktemp -d)
export MACHINECTL_STORAGE_PATH="$store/store"
trap '"$BIN/machinectl" rm -y -f bench >/dev/null 2>&1 || true; rm -rf "$store"' EXIT
m="$BIN/machinectl"

echo "== create + rm of a local machine (dockerd already installed here)"
# --prepare removes the previous run's machine (outside the timing).
hyperfine --runs 5 \
  --prepare "$m --quiet rm -y -f bench >/dev/null 2>&1 || true" \
  "$m --quiet create bench"
"$m" --quiet rm -y bench
"$m" --quiet create bench
echo "SSH logins during that create: $(grep -c 'Accepted publickey' "$store/store/machines/bench/host/anchor.log")"

echo "== env, config, ls (one running host), inspect"
hyperfine --warmup 3 --runs 30 --shell=none \
  "$m env --shell bash bench" \
  "$m config bench" \
  "$m ls" \
  "$m inspect bench"
