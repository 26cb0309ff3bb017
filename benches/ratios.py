#!/usr/bin/env python3
"""Prints the README's performance table from one run: medians of the interleaved bench (the
floor, jsonschema and this crate in alternating short batches, so that a noisy host tilts none of
them), the ratios the targets are set on, and allocations per operation.

    python3 benches/ratios.py     # about a minute; criterion's own report: cargo bench -p rebilly-customer-benches --bench parse
"""
import json
import os
import platform
import subprocess
from datetime import date

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def bench_lines(name):
    out = subprocess.run(["cargo", "bench", "-q", "-p", "rebilly-customer-benches", "--bench", name], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    rows = {}
    for line in out.splitlines():
        if line.startswith("{"):
            row = json.loads(line)
            rows[row["input"]] = row
    return rows


def machine():
    cpu = platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, {platform.system()}"


def main():
    times = bench_lines("interleaved")
    allocs = bench_lines("allocations")
    us = lambda ns: f"{ns / 1000:.2f} µs"
    rows, checks = [], []
    for name in ["typical", "minimal", "large", "invalid"]:
        t, a = times[name], allocs[name]
        floor, schema, crate = t["floor"], t["jsonschema"], t["crate"]
        crate_2026, floor_2026 = t["crate_2026"], t["floor_2026"]
        rows.append(f"| {name} | {us(floor)} | {us(schema)} | {us(crate)} | {crate / floor:.2f}x | "
                    f"{schema / crate:.2f}x | {a['floor']} / {a['crate']} | {us(floor_2026)} | "
                    f"{us(crate_2026)} | {crate_2026 / floor_2026:.2f}x |")
        if name in ("typical", "large"):
            checks.append((f"{name}: parse + validate + normalize at most 1.5x the floor",
                           crate / floor <= 1.5, f"{crate / floor:.2f}x"))
            checks.append((f"{name}, under 2026-08: at most 1.3x its floor",
                           crate_2026 / floor_2026 <= 1.3, f"{crate_2026 / floor_2026:.2f}x"))
            checks.append((f"{name}: at least 1.5x faster than jsonschema",
                           schema / crate >= 1.5, f"{schema / crate:.2f}x"))
            checks.append((f"{name}: allocations no more than the floor's",
                           a["crate"] <= a["floor"], f"{a['crate']} vs {a['floor']}"))
    # Measured in the same interleaved group as the invalid input.
    typical, invalid = times["invalid"]["typical"], times["invalid"]["crate"]
    checks.append(("invalid: every error at most 3x the typical valid parse",
                   invalid / typical <= 3, f"{invalid / typical:.2f}x"))
    checks.append(("invalid: at least 3x faster than jsonschema's iter_errors",
                   times["invalid"]["jsonschema"] / invalid >= 3,
                   f"{times['invalid']['jsonschema'] / invalid:.2f}x"))
    # Compared with the typical parse of its own interleaved group.
    upsert, parse = times["typical"]["upsert"], times["typical"]["crate"]
    checks.append(("apply_upsert + rendering no more than parsing the request",
                   upsert <= parse, f"{us(upsert)} vs {us(parse)}"))

    print(f"Measured {date.today().isoformat()} on {machine()} with "
          f"`python3 benches/ratios.py` (medians of one interleaved run).\n")
    print("| input | floor: serde derive | jsonschema: Value + validate | this crate | "
          "crate / floor | jsonschema / crate | allocations floor / crate | "
          "2026-08 body: floor | 2026-08: this crate | 2026-08: crate / floor |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    print(f"\n`apply_upsert` of an update onto the stored typical customer, plus rendering the "
          f"response: {us(upsert)}, {allocs['upsert']['crate']} allocations.\n")
    print("| target | met | measured |")
    print("|---|---|---|")
    for text, ok, value in checks:
        print(f"| {text} | {'yes' if ok else 'NO'} | {value} |")


if __name__ == "__main__":
    main()
