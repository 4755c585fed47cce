package dev.nightjar.cli;

import com.typesafe.config.Config;
import dev.nightjar.UserException;
import dev.nightjar.jobs.GateConfig;
import dev.nightjar.jobs.RegisterJob;
import dev.nightjar.storage.Registry;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Option;

/**
 * {@code --register-to REGISTRY --model-name NAME}, shared by the commands that make a model in a run
 * directory ({@code train}, {@code baseline}): after the run, its {@code model/} becomes the next version
 * and the quality gate decides whether LATEST moves ({@link RegisterJob}).
 */
final class RegisterOptions {
    @Option(names = "--register-to", paramLabel = "REGISTRY",
            description = "After the run, copy its model into REGISTRY/NAME/vNNNN, compare it with the current LATEST on the dataset's "
                    + "registry.gate.split split (text classifiers, networks or MLlib pipelines: on the same documents, read from "
                    + "their text), and move LATEST only if the gate passes (registry.gate.*). Re-running a registered run does nothing.")
    String registerTo;

    @Option(names = "--model-name", paramLabel = "NAME", description = "With --register-to: the model's name in the registry.")
    String modelName;

    boolean wanted() {
        return registerTo != null;
    }

    /**
     * Checks the options and the gate's config before Spark starts; true when the run in {@code output} was
     * registered before under this name (said on stdout), so there is nothing to do.
     */
    boolean registeredBefore(Config c, String output) {
        if ((registerTo == null) != (modelName == null)) {
            throw new UserException("--register-to and --model-name go together");
        }
        if (registerTo == null) {
            return false;
        }
        Registry.checkName(modelName);
        GateConfig.from(c);
        RegisterJob.Outcome done = RegisterJob.previous(registerTo, modelName, output, new Configuration());
        if (done != null) {
            System.out.printf("%s was registered before as %s@%s (gate: %s); LATEST is %s. Nothing to do.%n", output, modelName,
                    done.version(), done.decision(), done.latest());
        }
        return done != null;
    }

    /** The version already copied from the model in {@code output} whose registration did not finish, or null. */
    String copiedBefore(String output, Configuration conf) {
        return registerTo == null ? null : RegisterJob.copied(registerTo, modelName, output, conf);
    }

    /** Registers the run's model when asked to, and says what the gate decided. */
    void register(String output, String data, Config c, JavaSparkContext sc) {
        if (registerTo != null) {
            RegisterJob.Outcome r = RegisterJob.run(registerTo, modelName, output, data, c, sc);
            System.out.printf("registered %s@%s; gate: %s (%s); LATEST is %s%n", modelName, r.version(), r.decision(),
                    r.gate().get("reason"), r.latest());
        }
    }
}
