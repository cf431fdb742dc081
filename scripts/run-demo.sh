#!/usr/bin/env bash
# The demo end to end: serve the bundled demo sites on loopback, crawl them with the real
# crawler, index what was stored, then serve the API and the staff page.
#
#   scripts/run-demo.sh          prepare, then serve on 127.0.0.1:$API_PORT (Ctrl-C stops)
#   scripts/run-demo.sh prepare  prepare only (crawl + index)
#   scripts/run-demo.sh crawl    crawl the demo sites into the store only
#
# A second run reuses the store, the embedding cache and the index: the crawl sends
# conditional requests only and the index build finds nothing to do.
set -euo pipefail
cd "$(dirname "$0")/.."

MODE="${1:-serve}"
VENV="${VENV:-.venv}"
POLICYQA="$VENV/bin/policyqa"
PY="$VENV/bin/python"
export POLICYQA_HOME="${POLICYQA_HOME:-$PWD/data}"
DEMO_PORT="${DEMO_PORT:-8765}"
API_PORT="${API_PORT:-8000}"
SITE_ROOT="$POLICYQA_HOME/demo-site"
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1

# The default profile is gemma when its weights are provisioned (`make models`), else e5-small.
if [[ -z "${POLICYQA_EMBEDDER:-}" ]]; then
  if [[ -f "$POLICYQA_HOME/models/embeddinggemma-300m/.complete" ]]; then
    export POLICYQA_EMBEDDER=gemma
  else
    export POLICYQA_EMBEDDER=e5-small
    echo "run-demo: EmbeddingGemma is not provisioned; using e5-small" >&2
  fi
fi
echo "run-demo: embedder $POLICYQA_EMBEDDER, state in $POLICYQA_HOME" >&2

mkdir -p "$POLICYQA_HOME"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

wait_for() {  # wait_for URL SECONDS [HOST]
  local url="$1" seconds="$2" host="${3:-}"
  for _ in $(seq $((seconds * 10))); do
    if [[ -n "$host" ]]; then
      curl -fsS -o /dev/null -H "Host: $host" "$url" 2>/dev/null && return 0
    else
      curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    fi
    sleep 0.1
  done
  echo "run-demo: $url did not answer within ${seconds}s" >&2
  return 1
}

# DEMO_FAULTS injects faults into the demo sites, e.g. "--error-rate 0.2 --reset-rate 0.05
# --seed 7": the crawl retries, and what still failed is fetched by the next run.
# shellcheck disable=SC2086
"$PY" -m demo.serve --root "$SITE_ROOT" --port "$DEMO_PORT" --build ${DEMO_FAULTS:-} \
  2>"$POLICYQA_HOME/demo-site.log" &
pids+=($!)
wait_for "http://127.0.0.1:$DEMO_PORT/robots.txt" 20 baolamdong.vn

# The demo sources name the demo server's address; follow DEMO_PORT when it is not 8765.
SOURCES="$POLICYQA_HOME/demo-sources.toml"
sed "s/127\.0\.0\.1:8765/127.0.0.1:$DEMO_PORT/g" demo/sources.toml > "$SOURCES"
"$POLICYQA" crawl --sources "$SOURCES"
if [[ "$("$POLICYQA" articles export | wc -l)" -eq 0 ]]; then
  echo "run-demo: the crawl stored no article; see the messages above and $POLICYQA_HOME/demo-site.log" >&2
  exit 1
fi
kill "${pids[0]}" 2>/dev/null || true
pids=()
if [[ "$MODE" == "crawl" ]]; then
  exit 0
fi

"$POLICYQA" index

if [[ "$MODE" == "prepare" ]]; then
  exit 0
fi

"$POLICYQA" serve --host 127.0.0.1 --port "$API_PORT" &
pids+=($!)
wait_for "http://127.0.0.1:$API_PORT/health" 120
cat <<MSG

policyqa is serving the demo index.
  Staff page:  http://127.0.0.1:$API_PORT/
  API docs:    http://127.0.0.1:$API_PORT/docs
  Ask:
    curl -s http://127.0.0.1:$API_PORT/ask -H 'Content-Type: application/json' \\
      -d '{"question": "What did Lam Dong commit to by May 2025?"}'
  Or: $POLICYQA ask "What did Lam Dong commit to by May 2025?"
Ctrl-C stops the server.
MSG
wait "${pids[0]}"
