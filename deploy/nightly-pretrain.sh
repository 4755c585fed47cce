#!/usr/bin/env bash
# Nightly continual pretraining of a language model, idempotent: the run id comes from the date,
# so a re-run the same night resumes (from the newest checkpoint) instead of starting over, and a
# re-run after the night finished changes nothing.
#
#   deploy/nightly-pretrain.sh --registry REG --name NAME --input PATH_OR_GLOB [--input ...]
#       [--format lines|text|csv|jsonl|parquet] [--text-col C] [--work DIR] [--date YYYY-MM-DD]
#       [--config conf/lm-char.conf] [--master local[2]|yarn] [-- more train options, e.g. --set train.epochs=2]
#
# Steps, each skipped when its output is already there:
#   1. prepare the night's text with the tokenizer of REG/NAME@latest (a new one on the first night);
#   2. train, continuing from REG/NAME@latest (from scratch on the first night);
#   3. register the result as REG/NAME/vNNNN; the gate (registry.gate.*) decides whether LATEST moves.
# Paths may be local or hdfs://. Exit codes are nightjar's: 0 done, 2 a user error (bad input, config), 1 a bug.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
nightjar="${NIGHTJAR:-$here/nightjar}"

registry= name= work=work/nightly format=lines text_col= day="$(date -u +%F)" config="$here/../conf/lm-char.conf" master=
inputs=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --registry) registry="$2"; shift 2 ;;
    --name) name="$2"; shift 2 ;;
    --input) inputs+=("$2"); shift 2 ;;
    --format) format="$2"; shift 2 ;;
    --text-col) text_col="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --date) day="$2"; shift 2 ;;
    --config) config="$2"; shift 2 ;;
    --master) master="$2"; shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "nightly-pretrain: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [[ -z "$registry" || -z "$name" || ${#inputs[@]} -eq 0 ]]; then
  echo "nightly-pretrain: --registry, --name and --input are required (see --help)" >&2
  exit 2
fi
if ! [[ "$day" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]]; then
  echo "nightly-pretrain: --date must be YYYY-MM-DD, got $day" >&2
  exit 2
fi

run_id="nightly-${day//-/}"
data="$work/$name/$run_id/data"
run="$work/$name/$run_id/run"
spark=(); [[ -n "$master" ]] && spark=(--master "$master")

latest="$("$nightjar" models latest --registry "$registry" "$name")"
echo "nightly-pretrain: run $run_id of $name; LATEST is $latest"

tokenizer=(); init=()
if [[ "$latest" != none ]]; then
  tokenizer=(--tokenizer-from "$registry/$name@latest")
  init=(--init-from "$registry/$name@latest")
fi

input_args=(); for i in "${inputs[@]}"; do input_args+=(--input "$i"); done
col=(); [[ -n "$text_col" ]] && col=(--text-col "$text_col")
"$nightjar" prepare text "${input_args[@]}" --format "$format" "${col[@]}" --config "$config" "${tokenizer[@]}" \
  --output "$data" --skip-existing "${spark[@]}"

# resumes from the newest checkpoint when the night's run was interrupted; does nothing once registered
"$nightjar" train --config "$config" --data "$data" --output "$run" "${init[@]}" \
  --register-to "$registry" --model-name "$name" "${spark[@]}" "$@"
"$nightjar" models list --registry "$registry" "$name"
