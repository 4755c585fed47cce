"""Airflow DAG: Nightjar's nightly continual pretraining on YARN with SparkSubmitOperator.

The run id comes from the DAG run's logical date ({{ ds_nodash }}), so a retried task or a cleared night runs
the same commands again: prepare --skip-existing leaves a finished dataset alone, train resumes from the newest
checkpoint of that night's run directory, and a run that is registered already does nothing. The quality gate
(registry.gate.* in conf/defaults.conf) decides whether LATEST moves; its numbers are in
REGISTRY/NAME/vNNNN/gate.json.

The first night has no registered model: it builds a tokenizer and trains from scratch. Every later night
reuses the tokenizer of NAME@latest and continues from it. A branch picks one of the two.

NIGHTJAR_HOME is the Nightjar tree on the Airflow workers (the cluster jar, conf/, deploy/): the environment variable
NIGHTJAR_HOME, else the Airflow Variable nightjar_home, else the repository this file lies in when it is still in
deploy/schedule/ of a tree with conf/yarn.conf (a DAGs folder that links to it), else /opt/nightjar. The Spark settings
are read from NIGHTJAR_HOME/conf/yarn.conf and conf/jvm.options each time the DAG is parsed, the way deploy/nightjar
reads them for `--master yarn`: every key of yarn.conf but the launcher's own nightjar.* ones, and the Java 17 flags
plus javacpp's off-heap limits in spark.driver.extraJavaOptions, spark.executor.extraJavaOptions and
spark.yarn.am.extraJavaOptions. So a task submits what `deploy/nightjar train ... --master yarn --deploy-mode cluster
--num-executors 4 --executor-cores 2 --dry-run` prints; change the settings in conf/yarn.conf, not here.

Install: build the cluster jar (README.md, "Running on a YARN cluster"), copy this file to the DAGs folder,
set NIGHTJAR_HOME (see above) and the connection spark_default (yarn).
Checked here with python3 -m py_compile and with the airflow imports stubbed: no Airflow was available on the build
machine.
"""
import os
import re
from datetime import datetime, timedelta

from airflow import DAG
from airflow.models import Variable
from airflow.operators.bash import BashOperator
from airflow.operators.python import BranchPythonOperator
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator


def nightjar_home():
    if os.environ.get("NIGHTJAR_HOME"):
        return os.environ["NIGHTJAR_HOME"]
    here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
    fallback = here if os.path.isfile(os.path.join(here, "conf", "yarn.conf")) else "/opt/nightjar"
    return Variable.get("nightjar_home", default_var=fallback)


def mib(size):
    """6g, 6144m, 6G -> MiB, as deploy/nightjar reads --executor-memory and --driver-memory."""
    v = size.lower()
    if v.endswith("g"):
        return int(v[:-1]) * 1024
    if v.endswith("m"):
        return int(v[:-1])
    raise ValueError(f"a memory size is a number with g or m, got {size}")


def spark_conf(home, executor_memory=None, driver_memory=None):
    """The --conf settings deploy/nightjar gives spark-submit with --master yarn (and --executor-memory/--driver-memory)."""
    conf = {}
    with open(os.path.join(home, "conf", "yarn.conf")) as f:  # spark-defaults format: `key value`, `#` comments
        for line in f:
            parts = line.split(None, 1)
            if parts and not parts[0].startswith("#"):
                conf[parts[0]] = parts[1].strip() if len(parts) > 1 else ""
    # ND4J's off-heap memory: see conf/yarn.conf for the rule; a heap given here keeps it
    for role, size in (("executor", executor_memory), ("driver", driver_memory)):
        if size:
            heap = mib(size)
            conf[f"spark.{role}.memory"] = f"{heap}m"
            conf[f"spark.{role}.memoryOverhead"] = f"{heap + 1024}m"
            conf[f"nightjar.{role}.javacpp.maxbytes"] = f"{heap}m"
            conf[f"nightjar.{role}.javacpp.maxphysicalbytes"] = f"{2 * heap + 1024}m"
    with open(os.path.join(home, "conf", "jvm.options")) as f:
        flags = " ".join(line.rstrip("\n") for line in f if not re.match(r"\s*(#|$)", line)).rstrip(" ")

    def javacpp(role):
        return (f"-Dorg.bytedeco.javacpp.maxbytes={conf[f'nightjar.{role}.javacpp.maxbytes']}"
                f" -Dorg.bytedeco.javacpp.maxphysicalbytes={conf[f'nightjar.{role}.javacpp.maxphysicalbytes']}")

    out = {k: v for k, v in conf.items() if not k.startswith("nightjar.")}
    out["spark.driver.extraJavaOptions"] = f"{flags} {javacpp('driver')}"
    out["spark.executor.extraJavaOptions"] = f"{flags} {javacpp('executor')}"
    out["spark.yarn.am.extraJavaOptions"] = flags
    return out


HOME = nightjar_home()
JAR = f"{HOME}/spark-jobs/target/nightjar-cluster.jar"
CONFIG = f"{HOME}/conf/lm-char.conf"
REGISTRY = "hdfs:///models/registry"
NAME = "lm-char"
INCOMING = "hdfs:///corpora/incoming/*"
RUN = f"hdfs:///nightjar/nightly/{NAME}/nightly-{{{{ ds_nodash }}}}"
# None: the heaps of conf/yarn.conf (6g executors, 4g driver); a size here resizes the off-heap limits with the heap.
EXECUTOR_MEMORY = None
DRIVER_MEMORY = None
SPARK_CONF = spark_conf(HOME, EXECUTOR_MEMORY, DRIVER_MEMORY)


def nightjar(task_id, args):
    # in cluster mode the driver runs in a YARN container: the job file is shipped with --files and named by its
    # base name, as deploy/nightjar does
    return SparkSubmitOperator(
        task_id=task_id,
        application=JAR,
        java_class="dev.nightjar.cli.Nightjar",
        name=f"nightjar {args[0]}",
        conn_id="spark_default",
        deploy_mode="cluster",
        num_executors=4,
        executor_cores=2,
        files=CONFIG,
        conf=SPARK_CONF,
        application_args=args,
    )


def first_or_next(ti):
    return "first_prepare" if ti.xcom_pull(task_ids="latest_version").strip() == "none" else "next_prepare"


with DAG(
    dag_id="nightjar_nightly_pretrain",
    start_date=datetime(2026, 11, 1),
    schedule="15 2 * * *",
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=10)},
    tags=["nightjar"],
) as dag:
    latest = BashOperator(
        task_id="latest_version",
        bash_command=f"{HOME}/deploy/nightjar models latest --registry {REGISTRY} {NAME}",
        do_xcom_push=True,
    )
    branch = BranchPythonOperator(task_id="first_or_next", python_callable=first_or_next)

    job_file = os.path.basename(CONFIG)  # shipped with --files
    prepare = ["prepare", "text", "--input", INCOMING, "--format", "lines", "--config", job_file,
               "--output", f"{RUN}/data", "--skip-existing"]
    train = ["train", "--config", job_file, "--data", f"{RUN}/data", "--output", f"{RUN}/run",
             "--register-to", REGISTRY, "--model-name", NAME]

    first = nightjar("first_prepare", prepare) >> nightjar("first_train", train)
    latest_ref = f"{REGISTRY}/{NAME}@latest"
    nxt = (nightjar("next_prepare", prepare + ["--tokenizer-from", latest_ref])
           >> nightjar("next_train", train + ["--init-from", latest_ref]))

    latest >> branch >> [first, nxt]
