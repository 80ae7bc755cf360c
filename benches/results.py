#!/usr/bin/env python3
"""Format bench.sh's rows as benches/RESULTS.md (markdown on stdout).

    results.py ROWS.tsv BIN_DIR

Each row is CASE, TARGET, KIND, DATA; KIND `json` names a hyperfine export
(min / median / max of its first command), `value` is a measured figure.
"""

import datetime
import json
import os
import platform
import subprocess
import sys


def seconds(s):
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def machine():
    cpus = os.cpu_count()
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kib = int(f.readline().split()[1])
            mem = f", {kib / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    return f"{platform.system()} {platform.release()}, {cpus} CPUs{mem}"


def version(bin_dir):
    try:
        out = subprocess.run(
            [os.path.join(bin_dir, "machinectl"), "--version"],
            capture_output=True, text=True, check=True,
        )
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "machinectl (unknown version)"


def main():
    rows_path, bin_dir = sys.argv[1], sys.argv[2]
    medians = {}
    lines = []
    for line in open(rows_path):
        case, target, kind, data = line.rstrip("\n").split("\t")
        if kind == "json":
            result = json.load(open(data))["results"][0]
            medians[case] = result["median"]
            cells = [seconds(result["min"]), seconds(result["median"]), seconds(result["max"])]
        else:
            cells = ["", data, ""]
        lines.append((case, target, cells))
    ratios = [
        ("create --count 10 (local)", "create --driver local"),
        ("clusterctl up --provider local, 10 nodes", "clusterctl up --provider local, 1 node"),
        ("docker-machine create -d generic, engine running", "create --driver generic, engine running"),
    ]
    print("# Benchmark results\n")
    print(f"- Machine: {machine()}")
    print(f"- Date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC")
    print(f"- Binaries: `{bin_dir}` ({version(bin_dir)})")
    print("- Made by `bash benches/bench.sh` (hyperfine); figures are wall-clock time.\n")
    print("| case | target | min | median | max |")
    print("|---|---|---|---|---|")
    for case, target, (lo, mid, hi) in lines:
        print(f"| {case} | {target} | {lo} | {mid} | {hi} |")
    print("\n| ratio | median |")
    print("|---|---|")
    for a, b in ratios:
        if a in medians and b in medians:
            print(f"| {a} / {b} | {medians[a] / medians[b]:.2f} x |")


if __name__ == "__main__":
    main()
