"""Run every ``bench/*_bench.py`` module and print one table.

Usage: ``python -m bench.run [--quick] [NAME ...]`` (names like ``coach`` or ``ingestion``).
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent


def discover(names: list[str]) -> list[str]:
    modules = sorted(p.stem for p in HERE.glob("*_bench.py"))
    if names:
        modules = [m for m in modules if m.removesuffix("_bench") in names]
    return modules


def print_table(rows: list[dict]) -> None:
    header = f"{'benchmark':<14}{'metric':<44}{'value':>14}  {'unit':<10}{'target':<16}"
    print(header)
    print("-" * len(header))
    for row in rows:
        value = row["value"]
        shown = f"{value:,.2f}" if isinstance(value, float) else str(value)
        target = row.get("target", "")
        name, metric, unit = row["benchmark"], row["metric"], row["unit"]
        print(f"{name:<14}{metric:<44}{shown:>14}  {unit:<10}{target:<16}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("names", nargs="*")
    args = parser.parse_args()
    rows: list[dict] = []
    for name in discover(args.names):
        started = time.perf_counter()
        print(f"running {name} ...", file=sys.stderr, flush=True)
        module = importlib.import_module(f"bench.{name}")
        rows.extend(module.run(quick=args.quick))
        print(f"  {name} took {time.perf_counter() - started:.1f}s", file=sys.stderr, flush=True)
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
