#!/usr/bin/env bash
# Benchmarks: crawl throughput, index build and search latency at scale, API latency.
# Each writes JSON under bench/results/ and prints a table. BENCH_QUICK=1 runs small sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
mkdir -p bench/results
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -m)" | tee bench/results/machine.txt
for bench in bench/bench_extract.py bench/bench_crawl.py bench/bench_index.py bench/bench_api.py; do
  if [[ -f "$bench" ]]; then
    echo "== $bench"
    "$VENV/bin/python" "$bench" "$@"
  fi
done
