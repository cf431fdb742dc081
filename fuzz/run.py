"""`python -m fuzz.run [--only api,crawl,imports]`: every fuzz stage, a summary, and a
non-zero exit on any failure."""

from __future__ import annotations

import argparse
import sys
import time

from fuzz import api, crawl, imports
from fuzz.common import Stage

STAGES = {"api": api.run, "crawl": crawl.run, "imports": imports.run}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", default=",".join(STAGES), help="comma-separated stages")
    chosen = [name.strip() for name in parser.parse_args().only.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in STAGES]
    if unknown:
        print(
            f"fuzz: unknown stage(s) {', '.join(unknown)}; known: {', '.join(STAGES)}",
            file=sys.stderr,
        )
        return 2
    results = []
    for name in chosen:
        stage = Stage(name)
        started = time.monotonic()
        print(f"fuzz: {name}", flush=True)
        try:
            STAGES[name](stage)
        except Exception as error:  # a harness error is a failure too, never a silent pass
            stage.fail(f"the stage itself failed: {error!r}")
        results.append((stage, time.monotonic() - started))
    print("fuzz summary:")
    for stage, seconds in results:
        state = "FAILED" if stage.failures else "ok"
        print(f"  {stage.name}: {state} ({len(stage.failures)} failures, {seconds:.0f} s)")
    return 1 if any(stage.failures for stage, _ in results) else 0


if __name__ == "__main__":
    sys.exit(main())
