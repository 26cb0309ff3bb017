#!/usr/bin/env python3
"""Runs the benches once and prints the README's performance table: medians, the ratios the
targets are set on, and allocations per operation.

    python3 benches/ratios.py            # runs `cargo bench` (about two minutes), then prints
    python3 benches/ratios.py --no-run   # prints from the last run's results in target/criterion
"""
import json
import os
import platform
import subprocess
import sys
from datetime import date

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CRITERION = os.path.join(ROOT, "target", "criterion")


def median(group, function):
    path = os.path.join(CRITERION, group, function, "new", "estimates.json")
    with open(path) as f:
        return json.load(f)["median"]["point_estimate"]


def machine():
    cpu = platform.processor() or platform.machine()
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
    if "--no-run" not in sys.argv:
        subprocess.run(["cargo", "bench", "--bench", "parse"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    allocations = subprocess.run(["cargo", "bench", "-q", "--bench", "allocations"], cwd=ROOT,
                                 check=True, capture_output=True, text=True).stdout
    allocs = {}
    for line in allocations.splitlines():
        if line.startswith("{"):
            row = json.loads(line)
            allocs[row["input"]] = row

    us = lambda ns: f"{ns / 1000:.2f} µs"
    rows = []
    checks = []
    for name in ["typical", "minimal", "large", "invalid"]:
        group = f"parse_{name}"
        floor, schema, crate = (median(group, f) for f in ("floor", "jsonschema", "crate"))
        a = allocs[name]
        rows.append(f"| {name} | {us(floor)} | {us(schema)} | {us(crate)} | "
                    f"{crate / floor:.2f}x | {schema / crate:.2f}x | {a['floor']} / {a['crate']} |")
        if name in ("typical", "large"):
            checks.append((f"{name}: parse at most 1.5x the floor", crate / floor <= 1.5,
                           f"{crate / floor:.2f}x"))
            checks.append((f"{name}: at least 1.5x faster than jsonschema", schema / crate >= 1.5,
                           f"{schema / crate:.2f}x"))
            checks.append((f"{name}: allocations no more than the floor's",
                           a["crate"] <= a["floor"], f"{a['crate']} vs {a['floor']}"))
    typical = median("parse_typical", "crate")
    invalid = median("parse_invalid", "crate")
    invalid_schema = median("parse_invalid", "jsonschema")
    checks.append(("invalid: all errors at most 3x the typical valid parse", invalid / typical <= 3,
                   f"{invalid / typical:.2f}x"))
    checks.append(("invalid: at least 3x faster than jsonschema's iter_errors",
                   invalid_schema / invalid >= 3, f"{invalid_schema / invalid:.2f}x"))
    upsert = median("upsert_typical", "apply_and_render")
    checks.append(("apply_upsert + render no more than parsing the request", upsert <= typical,
                   f"{us(upsert)} vs {us(typical)}"))

    print(f"Measured {date.today().isoformat()} on {machine()}, "
          f"with `python3 benches/ratios.py` (criterion medians, one run).\n")
    print("| input | floor (serde derive) | jsonschema (Value + validate) | this crate | "
          "crate / floor | jsonschema / crate | allocations floor / crate |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    print(f"\n`apply_upsert` on a stored customer plus rendering the response: {us(upsert)}, "
          f"{allocs['upsert']['crate']} allocations.\n")
    print("| target | met | measured |")
    print("|---|---|---|")
    for text, ok, value in checks:
        print(f"| {text} | {'yes' if ok else 'NO'} | {value} |")


if __name__ == "__main__":
    main()
