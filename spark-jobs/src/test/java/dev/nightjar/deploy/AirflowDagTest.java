package dev.nightjar.deploy;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * deploy/schedule/nightly_pretrain_dag.py, with the airflow imports stubbed: its SparkSubmitOperators get the same
 * --conf settings as deploy/nightjar's spark-submit line (both read conf/yarn.conf and conf/jvm.options), the job file
 * is shipped as the launcher ships it in cluster mode, and the job is named as the launcher names it. Needs python3;
 * skipped without it.
 */
class AirflowDagTest {
    static final String CHECK = """
            import importlib.util, os, shlex, subprocess, sys, types
            root = sys.argv[1]
            ops = []
            class Op:
                def __init__(self, **kw): self.kw = kw; ops.append(self)
                def __rshift__(self, other): return other
                def __rrshift__(self, other): return self
            class DAG:
                def __init__(self, **kw): pass
                def __enter__(self): return self
                def __exit__(self, *a): return False
            class Variable:
                @staticmethod
                def get(key, default_var=None): return default_var
            def mod(name, **attrs):
                m = types.ModuleType(name); m.__dict__.update(attrs); sys.modules[name] = m
            for n in ["airflow.operators", "airflow.providers", "airflow.providers.apache", "airflow.providers.apache.spark",
                      "airflow.providers.apache.spark.operators"]:
                mod(n)
            mod("airflow", DAG=DAG)
            mod("airflow.models", Variable=Variable)
            mod("airflow.operators.bash", BashOperator=Op)
            mod("airflow.operators.python", BranchPythonOperator=Op)
            mod("airflow.providers.apache.spark.operators.spark_submit", SparkSubmitOperator=Op)
            spec = importlib.util.spec_from_file_location("dag", os.path.join(root, "deploy/schedule/nightly_pretrain_dag.py"))
            spec.loader.exec_module(importlib.util.module_from_spec(spec))
            submits = [o.kw for o in ops if "application" in o.kw]
            train = [kw for kw in submits if kw["task_id"] == "first_train"][0]
            line = subprocess.run([os.path.join(root, "deploy/nightjar"), "train", "--config", train["files"], "--master", "yarn",
                                   "--deploy-mode", train["deploy_mode"], "--num-executors", str(train["num_executors"]),
                                   "--executor-cores", str(train["executor_cores"]), "--dry-run"],
                                  capture_output=True, text=True, check=True).stdout
            words = shlex.split(line)
            launcher = dict(words[i + 1].split("=", 1) for i, w in enumerate(words) if w == "--conf")
            opt = lambda o: words[words.index(o) + 1]
            problems = []
            for kw in submits:
                for k in sorted(set(kw["conf"]) | set(launcher)):
                    if kw["conf"].get(k) != launcher.get(k):
                        problems.append(f"{kw['task_id']}: {k}: dag {kw['conf'].get(k)!r}, launcher {launcher.get(k)!r}")
                if kw["files"] != opt("--files") or kw["name"] != f"nightjar {kw['application_args'][0]}":
                    problems.append(f"{kw['task_id']}: files {kw['files']} name {kw['name']}; launcher {opt('--files')} {opt('--name')}")
                cfg = kw["application_args"][kw["application_args"].index("--config") + 1]
                if cfg != words[words.index("--config", words.index("train")) + 1]:
                    problems.append(f"{kw['task_id']}: --config {cfg}")
            print("\\n".join(problems) or f"same {len(launcher)} settings in {len(submits)} tasks")
            """;

    @Test
    void theDagSubmitsWithTheLaunchersSparkSettings() throws Exception {
        assumeTrue(new ProcessBuilder("python3", "--version").start().waitFor() == 0, "python3 is needed");
        Path script = Files.createTempFile("dag-check", ".py");
        try {
            Files.writeString(script, CHECK);
            ProcessBuilder pb = new ProcessBuilder("python3", "-B", script.toString(), LauncherTest.ROOT.toString())
                    .redirectErrorStream(true);
            pb.environment().remove("NIGHTJAR_HOME");
            pb.environment().remove("SPARK_HOME");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertEquals(0, p.waitFor(), out);
            assertTrue(out.matches("same \\d+ settings in 4 tasks"), out);
        } finally {
            Files.delete(script);
        }
    }
}
