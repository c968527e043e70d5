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
    widths = {key: max([len(key)] + [len(str(r.get(key, ""))) for r in rows]) + 2 for key in
              ("benchmark", "metric", "unit", "target")}  # fmt: skip
    header = (
        f"{'benchmark':<{widths['benchmark']}}{'metric':<{widths['metric']}}{'value':>14}  "
        f"{'unit':<{widths['unit']}}{'target'}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        value = row["value"]
        shown = f"{value:,.2f}" if isinstance(value, float) else str(value)
        print(
            f"{row['benchmark']:<{widths['benchmark']}}{row['metric']:<{widths['metric']}}"
            f"{shown:>14}  {row['unit']:<{widths['unit']}}{row.get('target', '')}"
        )


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
