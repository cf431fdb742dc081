#!/usr/bin/env bash
# Benchmarks: crawl throughput, index build and search latency at scale, API latency.
# Each writes JSON under bench/results/ and prints a table. BENCH_QUICK=1 runs small sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
mkdir -p bench/results
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -m)" | tee bench/results/machine.txt
for bench in bench/bench_extract.py bench/bench_crawl.py bench/bench_index.py; do
  if [[ -f "$bench" ]]; then
    echo "== $bench"
    "$VENV/bin/python" "$bench" "$@"
  fi
done
# /ask and /search latency on the demo index, for each embedder profile this machine has.
profiles=(e5-small)
if "$VENV/bin/python" -c 'import sys; from pathlib import Path; from index.provision import is_provisioned; sys.exit(0 if is_provisioned(Path(sys.argv[1]) / "models") else 1)' "${POLICYQA_HOME:-data}"; then
  profiles+=(gemma)
else
  echo "== bench/bench_api.py: gemma weights not provisioned (make models); e5-small only"
fi
for profile in "${profiles[@]}"; do
  echo "== bench/bench_api.py --embedder $profile"
  "$VENV/bin/python" bench/bench_api.py --embedder "$profile" "$@"
done
