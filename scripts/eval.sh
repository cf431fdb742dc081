#!/usr/bin/env bash
# `policyqa eval` for each embedder profile given (default: gemma when provisioned, and
# e5-small), on the project's own question sets (demo index), on the fresh corpora
# (demo/fresh, each its own index) and on both halves of the independent dev set (its own
# index). Writes bench/results/eval-<profile>-<set>.txt/.json.
#
# Each profile keeps its state folders under $POLICYQA_HOME: eval-<profile> (the demo store
# through the JSONL contract) and eval-devset-<profile> ($DEVSET/articles.jsonl). Imports
# and index builds are incremental and embeddings are cached by text, so a rerun on
# unchanged articles only answers the questions.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
POLICYQA="$VENV/bin/policyqa"
BASE_HOME="${POLICYQA_HOME:-$PWD/data}"
DEVSET="${DEVSET:-$PWD/../shared/devset}"
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
mkdir -p bench/results

profiles=("$@")
if [[ ${#profiles[@]} -eq 0 ]]; then
  if [[ -f "$BASE_HOME/models/embeddinggemma-300m/.complete" ]]; then profiles=(gemma e5-small); else profiles=(e5-small); fi
fi

run_eval() {  # home profile name questions [extra eval options...]
  local home="$1" profile="$2" name="$3" questions="$4"
  shift 4
  echo "== embedder: $profile, set: $name ($questions $*)"
  POLICYQA_HOME="$home" POLICYQA_EMBEDDER="$profile" "$POLICYQA" eval --questions "$questions" "$@" \
    --save-json "bench/results/eval-$profile-$name.json" | tee "bench/results/eval-$profile-$name.txt"
}

prepare() {  # home profile articles.jsonl
  local home="$1" profile="$2" articles="$3"
  mkdir -p "$home"
  [[ -e "$home/models" ]] || ln -s "$BASE_HOME/models" "$home/models"
  POLICYQA_HOME="$home" "$POLICYQA" import "$articles" >/dev/null
  POLICYQA_HOME="$home" POLICYQA_EMBEDDER="$profile" "$POLICYQA" index >/dev/null
}

POLICYQA_HOME="$BASE_HOME" POLICYQA_EMBEDDER=e5-small bash scripts/run-demo.sh crawl >/dev/null
for profile in "${profiles[@]}"; do
  home="$BASE_HOME/eval-$profile"
  mkdir -p "$home"
  POLICYQA_HOME="$BASE_HOME" "$POLICYQA" articles export > "$home/articles.jsonl"
  prepare "$home" "$profile" "$home/articles.jsonl"
  for questions in demo/questions.jsonl demo/questions_holdout.jsonl; do
    [[ -f "$questions" ]] || continue
    run_eval "$home" "$profile" "$(basename "$questions" .jsonl)" "$questions"
  done
  # The fresh corpora (demo/fresh/<name>): articles and questions written without sight of
  # the code, each on an index of its own articles.
  for fresh in demo/fresh/*/; do
    name="$(basename "$fresh")"
    freshhome="$BASE_HOME/eval-fresh-$name-$profile"
    prepare "$freshhome" "$profile" "$fresh/articles.jsonl"
    run_eval "$freshhome" "$profile" "fresh-$name" "$fresh/questions.jsonl" --articles "$fresh/articles.jsonl"
  done
  if [[ -f "$DEVSET/questions.jsonl" ]]; then
    devhome="$BASE_HOME/eval-devset-$profile"
    prepare "$devhome" "$profile" "$DEVSET/articles.jsonl"
    for half in tune report; do
      run_eval "$devhome" "$profile" "devset-$half" "$DEVSET/questions.jsonl" --split "$half"
    done
  else
    echo "== no dev set at $DEVSET (set DEVSET=...); skipped its halves"
  fi
done
