#!/usr/bin/env bash
# Spark GPU discovery script (spark.executor.resource.gpu.discoveryScript): prints the GPUs this executor's container
# can see, in the JSON Spark expects. deploy/nightjar ships it with --files when --gpus-per-executor is given.
# Under YARN GPU isolation the container sees only the GPUs YARN gave it; Spark then hands one to each task,
# and Nightjar pins the task's ND4J work to that device.
set -euo pipefail
# nvidia-smi lists every GPU of the node; when CUDA_VISIBLE_DEVICES narrows the container to some, offer those
if [[ -n "${CUDA_VISIBLE_DEVICES:-}" ]]; then
  ids="$(echo "$CUDA_VISIBLE_DEVICES" | tr -d ' ' | tr ',' '\n' | sed 's/.*/"&"/' | paste -sd, -)"
else
  ids="$( (nvidia-smi --query-gpu=index --format=csv,noheader 2>/dev/null || true) | tr -d ' ' | sed 's/.*/"&"/' | paste -sd, -)"
fi
echo "{\"name\": \"gpu\", \"addresses\": [${ids}]}"
