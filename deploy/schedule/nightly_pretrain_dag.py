"""Airflow DAG: Nightjar's nightly continual pretraining on YARN with SparkSubmitOperator.

The run id comes from the DAG run's logical date ({{ ds_nodash }}), so a retried task or a cleared night runs
the same commands again: prepare --skip-existing leaves a finished dataset alone, train resumes from the newest
checkpoint of that night's run directory, and a run that is registered already does nothing. The quality gate
(registry.gate.* in conf/defaults.conf) decides whether LATEST moves; its numbers are in
REGISTRY/NAME/vNNNN/gate.json.

The first night has no registered model: it builds a tokenizer and trains from scratch. Every later night
reuses the tokenizer of NAME@latest and continues from it. A branch picks one of the two.

Install: build the cluster jar (README.md, "Running on a YARN cluster"), copy this file to the DAGs folder,
set the Airflow Variable nightjar_home (where the jar and conf/ are) and the connection spark_default (yarn).
Checked here with python3 -m py_compile only: no Airflow was available on the build machine.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.models import Variable
from airflow.operators.bash import BashOperator
from airflow.operators.python import BranchPythonOperator
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

HOME = Variable.get("nightjar_home", default_var="/opt/nightjar")
JAR = f"{HOME}/spark-jobs/target/nightjar-cluster.jar"
CONFIG = f"{HOME}/conf/lm-char.conf"
REGISTRY = "hdfs:///models/registry"
NAME = "lm-char"
INCOMING = "hdfs:///corpora/incoming/*"
RUN = f"hdfs:///nightjar/nightly/{NAME}/nightly-{{{{ ds_nodash }}}}"

# The Java 17 flags Spark needs (conf/jvm.options), for the driver and the executors, and Nightjar's Spark settings.
with open(f"{HOME}/conf/jvm.options") as f:
    JAVA_OPTIONS = " ".join(line.strip() for line in f if line.strip() and not line.startswith("#"))
SPARK_CONF = {
    "spark.driver.extraJavaOptions": JAVA_OPTIONS,
    "spark.executor.extraJavaOptions": JAVA_OPTIONS,
    "spark.serializer": "org.apache.spark.serializer.KryoSerializer",
    "spark.kryo.registrator": "org.nd4j.kryo.Nd4jRegistrator,dev.nightjar.spark.NightjarKryoRegistrator",
    "spark.locality.wait": "0",
    "spark.task.maxFailures": "4",
}


def nightjar(task_id, args):
    return SparkSubmitOperator(
        task_id=task_id,
        application=JAR,
        java_class="dev.nightjar.cli.Nightjar",
        conn_id="spark_default",
        deploy_mode="cluster",
        num_executors=4,
        executor_cores=2,
        executor_memory="6g",
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

    prepare = ["prepare", "text", "--input", INCOMING, "--format", "lines", "--config", CONFIG,
               "--output", f"{RUN}/data", "--skip-existing"]
    train = ["train", "--config", CONFIG, "--data", f"{RUN}/data", "--output", f"{RUN}/run",
             "--register-to", REGISTRY, "--model-name", NAME]

    first = nightjar("first_prepare", prepare) >> nightjar("first_train", train)
    latest_ref = f"{REGISTRY}/{NAME}@latest"
    nxt = (nightjar("next_prepare", prepare + ["--tokenizer-from", latest_ref])
           >> nightjar("next_train", train + ["--init-from", latest_ref]))

    latest >> branch >> [first, nxt]
