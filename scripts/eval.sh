#!/usr/bin/env bash
# `policyqa eval` on the demo development set, for each embedder profile given
# (default: gemma when provisioned, and e5-small). Each profile gets its own state folder
# under $POLICYQA_HOME/eval-<profile>, filled from the demo store through the JSONL contract.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
POLICYQA="$VENV/bin/policyqa"
BASE_HOME="${POLICYQA_HOME:-$PWD/data}"
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
mkdir -p bench/results

profiles=("$@")
if [[ ${#profiles[@]} -eq 0 ]]; then
  if [[ -f "$BASE_HOME/models/embeddinggemma-300m/.complete" ]]; then profiles=(gemma e5-small); else profiles=(e5-small); fi
fi

POLICYQA_HOME="$BASE_HOME" POLICYQA_EMBEDDER=e5-small bash scripts/run-demo.sh crawl >/dev/null
for profile in "${profiles[@]}"; do
  home="$BASE_HOME/eval-$profile"
  mkdir -p "$home"
  [[ -e "$home/models" ]] || ln -s "$BASE_HOME/models" "$home/models"
  POLICYQA_HOME="$BASE_HOME" "$POLICYQA" articles export > "$home/articles.jsonl"
  POLICYQA_HOME="$home" "$POLICYQA" import "$home/articles.jsonl" >/dev/null
  POLICYQA_HOME="$home" POLICYQA_EMBEDDER="$profile" "$POLICYQA" index >/dev/null
  for questions in demo/questions.jsonl demo/questions_holdout.jsonl; do
    [[ -f "$questions" ]] || continue
    name="$(basename "$questions" .jsonl)"
    echo "== embedder: $profile, questions: $questions"
    POLICYQA_HOME="$home" POLICYQA_EMBEDDER="$profile" "$POLICYQA" eval --questions "$questions" \
      | tee "bench/results/eval-$profile-$name.txt"
  done
done
