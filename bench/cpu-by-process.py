#!/usr/bin/env python3
"""CPU seconds per second of the hub, the benchmark (its load generator) and PostgreSQL while a benchmark runs.

Usage: bench/cpu-by-process.py java -cp "$CP" io.bookinghub.bench.ReadBenchmark [options]

Linux only (reads /proc). Every second it sums user + system time per group: the command's own process (the bench
JVM and its load generator), hub JVMs (a command line naming HubApplication), PostgreSQL (processes named
postgres) and everything else. It prints the command's output, then one line per second with each group's cores;
the bench's phases follow each other in the order and for the wall times it prints, so a phase's CPU per request is
its average cores over its seconds divided by its throughput (docs/benchmarks.md, section 16).
"""
import os
import subprocess
import sys
import threading
import time

TICK = os.sysconf("SC_CLK_TCK")


def group(pid, bench_pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
        with open(f"/proc/{pid}/cmdline") as f:
            cmdline = f.read()
    except OSError:
        return None
    name = stat[stat.index("(") + 1:stat.rindex(")")]
    fields = stat.rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / TICK
    if pid == bench_pid:
        return "bench", cpu
    if name == "postgres":
        return "postgres", cpu
    if "HubApplication" in cmdline:
        return "hub", cpu
    return "other", cpu


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    child = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    threading.Thread(target=lambda: lines.extend(child.stdout), daemon=True).start()
    start = time.time()
    previous = {}
    previous_at = time.time()
    samples = []
    while child.poll() is None:
        current = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                found = group(int(entry), child.pid)
                if found:
                    current[int(entry)] = found
        now = time.time()
        cores = {"hub": 0.0, "bench": 0.0, "postgres": 0.0, "other": 0.0}
        for pid, (name, cpu) in current.items():
            if pid in previous:
                cores[name] += (cpu - previous[pid][1]) / (now - previous_at)
        previous, previous_at = current, now
        samples.append((now - start, cores))
        time.sleep(1)
    sys.stdout.write("".join(lines))
    print("\n| second | hub | bench | postgres | other |\n|---|---|---|---|---|")
    for at, cores in samples[1:]:
        print(f"| {at:.1f} | {cores['hub']:.2f} | {cores['bench']:.2f} | {cores['postgres']:.2f} | {cores['other']:.2f} |")
    sys.exit(child.returncode)


if __name__ == "__main__":
    main()
