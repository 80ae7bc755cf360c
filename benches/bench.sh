#!/usr/bin/env bash
# Every performance case of issue 15, measured with hyperfine on this machine
# (root: the local driver makes namespace hosts), written to benches/RESULTS.md
# with min / median / max. Timings live here, never as assertions in tests.
#
#   bash benches/bench.sh                  # builds the release binaries first
#   BIN=target/debug bash benches/bench.sh # measure a debug build instead
#   RUNS=10 bash benches/bench.sh          # more runs of the slow cases
#
# Docker Machine runs side by side, against the same namespace host, when a
# `docker-machine` binary is on PATH (supply it yourself; nothing is
# downloaded). Round-trip time is added by benches/delay_proxy.py, a
# userspace proxy (tc netem is not available here).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
if [ -z "${BIN:-}" ]; then
  cargo build --release --locked --bins
  BIN=target/release
fi
BIN=$(cd "$BIN" && pwd)
RUNS=${RUNS:-5}
for tool in hyperfine python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y hyperfine time python3" >&2; exit 1; }
done
work=$(mktemp -d)
json="$work/json"
mkdir -p "$json"
rows="$work/rows.tsv"
: >"$rows"
m="$BIN/machinectl"
c="$BIN/clusterctl"
# Three stores: local machines (one of them the target of the generic cases),
# generic machines, and the 100-machine store for ls.
export MACHINECTL_STORAGE_PATH="$work/local"
generic="$work/generic"
many="$work/many"
proxy_pid=
cleanup() {
  if [ -n "$proxy_pid" ]; then kill "$proxy_pid" 2>/dev/null || true; fi
  "$c" --quiet down -y bc1 >/dev/null 2>&1 || true
  "$c" --quiet down -y bc10 >/dev/null 2>&1 || true
  # shellcheck disable=SC2046 # machine names are single words
  "$m" --quiet rm -y -f $("$m" ls -q 2>/dev/null) >/dev/null 2>&1 || true
  if command -v docker-machine >/dev/null; then
    docker-machine -s "$work/dm" rm -y -f dm >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# row CASE TARGET KIND DATA: KIND is `json` (a hyperfine export) or `value`.
row() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$rows"; }
bench() { # bench CASE TARGET HYPERFINE-ARGS...
  local name=$1 target=$2 file
  shift 2
  file="$json/$(printf '%s' "$name" | tr -c 'a-zA-Z0-9' _).json"
  hyperfine --style basic --export-json "$file" "$@"
  row "$name" "$target" json "$file"
}
# busy CASE CMD...: run CMD once and record the CPU time every process on
# the machine used meanwhile (core-seconds, from /proc/stat): the namespace
# hosts' sshd, dockerd and containerd count, which per-process timings miss.
# Divided by the cores, it is the shortest the case could take.
busy() {
  local name=$1 hz b0 b1 t0 t1
  shift
  hz=$(getconf CLK_TCK)
  sleep 1
  b0=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat)
  t0=$(date +%s%N)
  "$@" >/dev/null 2>&1
  t1=$(date +%s%N)
  b1=$(awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat)
  row "busy CPU, $name" "" value "$(python3 -c "b=($b1-$b0)/$hz; w=($t1-$t0)/1e9; n=$(nproc); print(f'{b:.2f} core-s in {w:.2f} s; at least {b/n:.2f} s on {n} cores')")"
}
logins() { grep -c 'Accepted publickey' "$MACHINECTL_STORAGE_PATH/machines/target/host/anchor.log" || true; }

echo "== create --driver local"
bench "create --driver local" "<= 1.0 s" --runs "$RUNS" \
  --prepare "$m --quiet rm -y -f one >/dev/null 2>&1 || true" "$m --quiet create one"
"$m" --quiet rm -y -f one
busy "create --driver local" "$m" --quiet create one
"$m" --quiet rm -y -f one
rss=$(/usr/bin/time -f %M "$m" --quiet create one 2>&1 >/dev/null | tail -1)
row "peak RSS of one create" "<= 30 MB" value "$((rss / 1024)) MB"
"$m" --quiet rm -y one

echo "== the target host of the generic cases (its engine runs already)"
"$m" --quiet create target
ip=$("$m" ip target)
key="$MACHINECTL_STORAGE_PATH/machines/target/id_ed25519"
gen=(--driver generic --generic-ssh-key "$key" --generic-ssh-user root)

echo "== create --driver generic, engine already running"
bench "create --driver generic, engine running" "<= 1.5 s" --runs "$RUNS" \
  --prepare "$m -s $generic --quiet rm -y -f g >/dev/null 2>&1 || true" \
  "$m -s $generic --quiet create ${gen[*]} --generic-ip-address $ip g"
before=$(logins)
"$m" -s "$generic" --quiet rm -y -f g
"$m" -s "$generic" --quiet create "${gen[@]}" --generic-ip-address "$ip" g
row "SSH logins per generic create" "1" value "$(($(logins) - before))"

echo "== the same at 50 ms round-trip time"
python3 "$root/benches/delay_proxy.py" --delay-ms 25 \
  "127.0.0.2:2222=$ip:22" "127.0.0.2:2376=$ip:2376" >"$work/proxy.log" 2>&1 &
proxy_pid=$!
for _ in $(seq 50); do grep -q ready "$work/proxy.log" && break; sleep 0.1; done
bench "create --driver generic at 50 ms RTT" "<= 2.0 s" --runs "$RUNS" \
  --prepare "$m -s $generic --quiet rm -y -f g50 >/dev/null 2>&1 || true" \
  "$m -s $generic --quiet create ${gen[*]} --generic-ip-address 127.0.0.2 --generic-ssh-port 2222 g50"
kill "$proxy_pid" 2>/dev/null || true  # it may have ended with its last client
proxy_pid=

if command -v docker-machine >/dev/null; then
  echo "== Docker Machine $(docker-machine --version | awk '{print $3}' | tr -d ,) against the same host"
  bench "docker-machine create -d generic, engine running" "" --runs "$RUNS" \
    --prepare "docker-machine -s $work/dm rm -y -f dm >/dev/null 2>&1 || true" \
    "docker-machine -s $work/dm create -d generic --generic-ip-address $ip --generic-ssh-key $key --generic-ssh-user root dm"
  before=$(logins)
  docker-machine -s "$work/dm" rm -y -f dm >/dev/null
  docker-machine -s "$work/dm" create -d generic --generic-ip-address "$ip" --generic-ssh-key "$key" --generic-ssh-user root dm >/dev/null
  row "docker-machine SSH logins per generic create" "" value "$(($(logins) - before))"
  bench "docker-machine env" "" --warmup 3 --runs 30 --shell=none "docker-machine -s $work/dm env dm"
  bench "docker-machine ls, one machine" "" --warmup 3 --runs 30 --shell=none "docker-machine -s $work/dm ls"
  # The generic create above put Docker Machine's certificates on the host.
  "$m" --quiet provision target
fi

echo "== 10 local machines with one create"
names=$(printf 'p-%s ' $(seq 10))
# $names is ten words on purpose, in these commands and in hyperfine's.
bench "create --count 10 (local)" "<= 2.5 x one" --runs 3 \
  --prepare "$m --quiet rm -y -f $names >/dev/null 2>&1 || true" \
  "$m --quiet create --count 10 --prefix p"
# shellcheck disable=SC2086
"$m" --quiet rm -y -f $names
busy "create --count 10 (local)" "$m" --quiet create --count 10 --prefix p
# shellcheck disable=SC2086
"$m" --quiet rm -y -f $names

echo "== clusterctl up --provider local, 1 and 10 nodes"
# Seven runs: one in a few 10-node runs meets a 2-3 s network stall (see the
# README), which three runs let move the median.
bench "clusterctl up --provider local, 1 node" "" --runs 7 \
  --prepare "$c --quiet down -y bc1 >/dev/null 2>&1 || true" \
  "$c --quiet up --provider local --nodes 1 bc1"
bench "clusterctl up --provider local, 10 nodes" "<= 2 x 1 node" --runs 7 \
  --prepare "$c --quiet down -y bc10 >/dev/null 2>&1 || true" \
  "$c --quiet up --provider local --nodes 10 bc10"
"$c" --quiet down -y bc1
"$c" --quiet down -y bc10
busy "clusterctl up --provider local, 1 node" "$c" --quiet up --provider local --nodes 1 bc1
busy "clusterctl up --provider local, 10 nodes" "$c" --quiet up --provider local --nodes 10 bc10
"$c" --quiet down -y bc1
"$c" --quiet down -y bc10

echo "== ls of 100 machines, 10 unreachable"
# 90 records of the generic machine (reachable) and 10 whose address has no
# host behind it on the local bridge (unreachable, never a foreign address).
python3 - "$generic/machines/g" "$many" <<'EOF'
import json, os, shutil, sys
src, dest = sys.argv[1], sys.argv[2]
for i in range(100):
    name = f"m{i:03d}"
    d = os.path.join(dest, "machines", name)
    shutil.copytree(src, d)
    path = os.path.join(d, "machine.json")
    text = open(path).read().replace(src, d)
    record = json.loads(text)
    record["name"] = name
    if i >= 90:
        record["driver"]["ip_address"] = "10.231.0.254"
    json.dump(record, open(path, "w"), indent=2)
shutil.copytree(os.path.join(os.path.dirname(os.path.dirname(src)), "certs"), os.path.join(dest, "certs"))
EOF
bench "ls of 100 machines, 10 unreachable, --timeout 1" "<= 1.5 s" --runs "$RUNS" \
  "$m -s $many ls --timeout 1"
rss=$(/usr/bin/time -f %M "$m" -s "$many" ls --timeout 1 2>&1 >/dev/null | tail -1)
row "peak RSS of ls over 100 machines" "<= 30 MB" value "$((rss / 1024)) MB"

echo "== env, config, --version, ls of one machine"
for cmd in "env target" "config target" "--version"; do
  bench "$cmd" "<= 5 ms" --warmup 5 --runs 50 --shell=none "$m $cmd"
done
bench "ls, one machine" "" --warmup 3 --runs 30 --shell=none "$m ls"

size() { echo "$(($(stat -c %s "$1") / 1024 / 1024)) MB"; }
row "machinectl binary size" "" value "$(size "$m")"
row "clusterctl binary size" "" value "$(size "$c")"

python3 "$root/benches/results.py" "$rows" "$BIN" >"$root/benches/RESULTS.md"
echo "wrote benches/RESULTS.md"
