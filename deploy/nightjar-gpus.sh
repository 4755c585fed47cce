#!/usr/bin/env bash
# Spark GPU discovery script (spark.executor.resource.gpu.discoveryScript): prints the GPUs this executor's container
# can see, in the JSON Spark expects. deploy/nightjar ships it with --files when --gpus-per-executor is given.
# Under YARN GPU isolation the container sees only the GPUs YARN gave it; Spark then hands one to each task,
# and Nightjar pins the task's ND4J work to that device.
set -euo pipefail
ids="$( (nvidia-smi --query-gpu=index --format=csv,noheader 2>/dev/null || true) | tr -d ' ' | sed 's/.*/"&"/' | paste -sd, -)"
echo "{\"name\": \"gpu\", \"addresses\": [${ids}]}"
