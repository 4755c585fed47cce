#!/usr/bin/env bash
# Nightjar beside its PyTorch peers, in one run: bench/README.md.
#
#   bench/run.sh [--quick] [--runs N] [--only a,b,...] [--records N] [--score-limit N] [--peer-seconds S]
#                [--samples DIR] [--workdir DIR] [--reuse DIR]
#
# Prepares what it needs under --workdir (default work/bench; datasets and models of --reuse, default work/demo,
# are used when present), then N times (default 3; --quick 1) runs for each family `deploy/nightjar benchmark`
# (one process and Spark local[2]) and its PyTorch peer (bench/peers.py), and for scoring `deploy/nightjar score`
# and the peer. Writes WORKDIR/results.md and WORKDIR/results.json (medians), raw JSON under WORKDIR/raw/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
cd "$root"

runs= quick=false only= records= score_limit= peer_seconds=
samples=data/samples workdir=work/bench reuse=work/demo
all="lenet,convnet,char-lstm,transformer-lm,text-classifier,text-cnn,text-bilstm,score-text-cnn,score-text-classifier"
usage() { sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=true; shift ;;
    --runs) runs="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --records) records="$2"; shift 2 ;;
    --score-limit) score_limit="$2"; shift 2 ;;
    --peer-seconds) peer_seconds="$2"; shift 2 ;;
    --samples) samples="$2"; shift 2 ;;
    --workdir) workdir="$2"; shift 2 ;;
    --reuse) reuse="$2"; shift 2 ;;
    -h|--help) usage ;;
    *) echo "bench/run.sh: unknown option $1" >&2; usage 2 >&2 ;;
  esac
done
if [[ "$quick" == true ]]; then
  runs="${runs:-1}" score_limit="${score_limit:-1000}" peer_seconds="${peer_seconds:-5}"
else
  runs="${runs:-3}" score_limit="${score_limit:-0}" peer_seconds="${peer_seconds:-20}"
fi
only="${only:-$all}"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "bench/run.sh: --runs must be a whole number >= 1, got $runs" >&2; exit 2; }
for f in ${only//,/ }; do
  [[ ",$all," == *",$f,"* ]] || { echo "bench/run.sh: --only: unknown family $f (one of $all)" >&2; exit 2; }
done
wants() { [[ ",$only," == *",$1,"* ]]; }

py=/usr/bin/python3 # Debian's python3-torch; pyenv shims may shadow python3
if ! "$py" -c 'import torch' 2>/dev/null; then
  echo "bench/run.sh: $py cannot import torch (apt-get install -y python3-torch)" >&2
  exit 2
fi
nightjar="$root/deploy/nightjar"
master='local[2]'
mkdir -p "$workdir"/{raw,logs,data,models,score}
log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }
# json FILE KEY.PATH: one value of a JSON file
json() { "$py" -c 'import json,sys; v=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): v=v[int(k)] if isinstance(v,list) else v[k]
print(v)' "$1" "$2"; }
# run LOG CMD...: a step, its output in WORKDIR/logs/LOG.log
run() {
  local name="$1"; shift
  if ! "$@" > "$workdir/logs/$name.log" 2>&1; then
    echo "bench/run.sh: $name failed; the last lines of $workdir/logs/$name.log:" >&2
    tail -n 20 "$workdir/logs/$name.log" >&2
    exit 1
  fi
}

# --- samples ---
need_vectors=false
{ wants text-cnn || wants text-bilstm || wants score-text-cnn; } && need_vectors=true
if [[ ! -f "$samples/fashion-mnist/train-images-idx3-ubyte.gz" || ! -f "$samples/text/sentences-en.csv" ]]; then
  log "fetching samples into $samples"
  run fetch-samples "$nightjar" fetch-samples --dir "$samples"
fi
if [[ "$need_vectors" == true && ! -f "$samples/vectors/glove-6B-100d.txt" ]]; then
  log "fetching GloVe vectors into $samples"
  run fetch-vectors "$nightjar" fetch-samples --vectors --dir "$samples"
fi

# --- datasets and models: --reuse's when present, else prepared here once ---
# dataset NAME REUSED_DIR CMD...: echoes the dataset directory
dataset() {
  local name="$1" reused="$2"; shift 2
  if [[ -f "$reused/manifest.json" ]]; then echo "$reused"; return; fi
  local dir="$workdir/data/$name"
  if [[ ! -f "$dir/manifest.json" ]]; then
    log "preparing $dir"
    run "prepare-$name" "$@" --output "$dir" --overwrite --master "$master"
  fi
  echo "$dir"
}
images= lm= tlm= chars= words= vectors=
if wants lenet || wants convnet; then
  images=$(dataset images "$reuse/images/data/train" "$nightjar" prepare images \
    --input "$samples/fashion-mnist/train-images-idx3-ubyte.gz")
fi
if wants char-lstm; then
  lm=$(dataset lm "$reuse/text/data" "$nightjar" prepare text --input "$samples/text/fortunes" --format lines \
    --config conf/lm-char.conf)
fi
if wants transformer-lm; then
  tlm=$(dataset tlm "$reuse/text-transformer/data" "$nightjar" prepare text --input "$samples/text/fortunes" --format lines \
    --config conf/lm-transformer.conf)
fi
sentences=(--task classification --input "$samples/text/sentences-en.csv" --format csv --text-col 1 --label-col 0 --labels=-1,1)
if wants text-classifier || wants score-text-classifier; then
  chars=$(dataset chars "$reuse/sentiment/data" "$nightjar" prepare text "${sentences[@]}" --config conf/sentiment.conf)
fi
if [[ "$need_vectors" == true ]]; then
  vectors="$reuse/sentiment/vectors"
  if [[ ! -f "$vectors/model.zip" ]]; then
    vectors="$workdir/vectors"
    if [[ ! -f "$vectors/model.zip" ]]; then
      log "importing GloVe into $vectors"
      # as the sentiment demo does: GloVe's 30,000 most frequent words and every word of the sentences and reviews
      run prepare-vectors "$nightjar" prepare vectors --input "$samples/vectors/glove-6B-100d.txt" --output "$vectors" \
        --max-words 30000 --overwrite --corpus "$samples/text/sentences-en.csv" "$samples/text/reviews-en.csv" \
        --corpus-format csv --corpus-text-col 1
    fi
  fi
  words=$(dataset words "$reuse/sentiment/data-words" "$nightjar" prepare text "${sentences[@]}" \
    --config conf/sentiment-cnn.conf --tokenizer-from "$vectors")
fi
# model NAME REUSED_MODEL DATA CONFIG: echoes a bundle of the family to score with (its weights do not matter for speed)
model() {
  local name="$1" reused="$2" data="$3" config="$4"
  if [[ -f "$reused/model.zip" ]]; then echo "$reused"; return; fi
  local dir="$workdir/models/$name"
  if [[ ! -f "$dir/model/model.zip" ]]; then
    log "training a small $name to score with"
    run "train-$name" "$nightjar" train --config "$config" --data "$data" --output "$dir" --overwrite --master "$master" \
      --set train.epochs=1 --set train.max-records=8 --set train.keep-best=false
  fi
  echo "$dir/model"
}
cnn_model= lstm_model=
wants score-text-cnn && cnn_model=$(model text-cnn "$reuse/sentiment/glove-cnn/model" "$words" conf/sentiment-cnn.conf)
wants score-text-classifier && lstm_model=$(model text-classifier "$reuse/sentiment/finetuned/model" "$chars" conf/sentiment.conf)

# scoring inputs: the sentences (and, in a full run, the whole movie reviews), the first --score-limit documents
score_inputs=(sentences)
[[ "$quick" == false ]] && score_inputs+=(reviews)
"$py" - "$samples/text" "$workdir/score" "$score_limit" <<'EOF'
import csv, sys
src, dst, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
for name in ('sentences', 'reviews'):
    with open(f'{src}/{name}-en.csv', newline='', encoding='utf-8-sig') as f:
        rows = list(csv.reader(f))
    rows = rows[:limit] if limit else rows
    with open(f'{dst}/{name}.csv', 'w', newline='', encoding='utf-8') as f:
        csv.writer(f).writerows(rows)
EOF

# --- the runs ---
# family: data, unit, default records (quick), nightjar options, peer options
declare -A data_of=([lenet]="$images" [convnet]="$images" [char-lstm]="$lm" [transformer-lm]="$tlm" [text-classifier]="$chars" [text-cnn]="$words"
  [text-bilstm]="$words")
declare -A records_of=([lenet]=300 [convnet]=300 [char-lstm]=200 [transformer-lm]=100 [text-classifier]=100 [text-cnn]=100 [text-bilstm]=100)
declare -A quick_records_of=([lenet]=80 [convnet]=80 [char-lstm]=100 [transformer-lm]=40 [text-classifier]=60 [text-cnn]=60 [text-bilstm]=60)
declare -A options_of=(
  [lenet]="--set model.architecture=lenet --set model.lenet-filters=[20,50] --set model.dense-units=500"
  [convnet]="--config conf/fashion-cnn.conf"
  [char-lstm]="--config conf/lm-char.conf"
  [transformer-lm]="--config conf/lm-transformer.conf"
  [text-classifier]="--config conf/sentiment.conf"
  [text-cnn]="--config conf/sentiment-cnn.conf"
  [text-bilstm]="--config conf/sentiment-cnn.conf --set model.family=text-bilstm --set model.text-bilstm.embedding-size=100 --set model.text-bilstm.lstm-size=64")
train_families=(lenet convnet char-lstm transformer-lm text-classifier text-cnn text-bilstm)

for rep in $(seq 1 "$runs"); do
  for f in "${train_families[@]}"; do
    wants "$f" || continue
    n="${records:-}"
    if [[ -z "$n" ]]; then if [[ "$quick" == true ]]; then n="${quick_records_of[$f]}"; else n="${records_of[$f]}"; fi; fi
    out="$workdir/raw/$f-$rep"
    log "run $rep/$runs: $f, nightjar benchmark --records $n"
    # shellcheck disable=SC2086
    run "$f-$rep-nightjar" "$nightjar" benchmark --data "${data_of[$f]}" --records "$n" --master "$master" \
      --output "$out-nightjar.json" ${options_of[$f]}
    peer=(train --family "$f" --threads 2 --seconds "$peer_seconds")
    [[ "$quick" == true ]] && peer+=(--warmup 1 --min-steps 2)
    if [[ "$f" != lenet && "$f" != convnet ]]; then
      vocab=$(json "${data_of[$f]}/manifest.json" text.vocab_size)
      steps=$(json "$out-nightjar.json" workload.time_steps_per_example)
      peer+=(--vocab "$vocab" --seq-len "$("$py" -c "print(max(1, round($steps)))")")
    fi
    log "run $rep/$runs: $f, pytorch peer"
    run "$f-$rep-pytorch" "$py" "$here/peers.py" "${peer[@]}"
    tail -n 1 "$workdir/logs/$f-$rep-pytorch.log" > "$out-pytorch.json"
  done
  for f in text-cnn text-classifier; do
    wants "score-$f" || continue
    if [[ "$f" == text-cnn ]]; then m="$cnn_model" tok=word vocab=$(json "$words/manifest.json" text.vocab_size)
    else m="$lstm_model" tok=char vocab=$(json "$chars/manifest.json" text.vocab_size); fi
    for input in "${score_inputs[@]}"; do
      out="$workdir/raw/score-$f-$input-$rep"
      log "run $rep/$runs: scoring $input with $f, nightjar score"
      run "score-$f-$input-$rep-nightjar" "$nightjar" score --model "$m" --input "$workdir/score/$input.csv" --format csv \
        --id-col 0 --text-col 1 --output "$workdir/score/out-$f-$input" --overwrite --master "$master"
      cp "$workdir/score/out-$f-$input/summary.json" "$out-nightjar.json"
      log "run $rep/$runs: scoring $input with $f, pytorch peer"
      run "score-$f-$input-$rep-pytorch" "$py" "$here/peers.py" score --family "$f" --threads 2 --vocab "$vocab" \
        --tokenizer "$tok" --input "$workdir/score/$input.csv" --text-col 1
      tail -n 1 "$workdir/logs/score-$f-$input-$rep-pytorch.log" > "$out-pytorch.json"
    done
  done
done

"$py" "$here/table.py" --workdir "$workdir" --runs "$runs" $([[ "$quick" == true ]] && echo --quick)
log "wrote $workdir/results.md and $workdir/results.json"
cat "$workdir/results.md"
