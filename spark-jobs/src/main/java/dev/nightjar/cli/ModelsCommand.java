package dev.nightjar.cli;

import dev.nightjar.UserException;
import dev.nightjar.storage.Registry;
import dev.nightjar.util.Json;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

@Command(name = "models", mixinStandardHelpOptions = true,
        description = {"The model registry: versions with their metrics, parent, data and dates; LATEST moves only by atomic replace.",
                "Versions are made by train or baseline --register-to REGISTRY --model-name NAME. No Spark is started."},
        subcommands = {ModelsCommand.ListVersions.class, ModelsCommand.Latest.class, ModelsCommand.Show.class, ModelsCommand.Promote.class, ModelsCommand.Rollback.class})
final class ModelsCommand {

    /** The options every subcommand shares. */
    abstract static class RegistryCommand {
        @Option(names = "--registry", required = true, description = "Registry directory (local, file:// or hdfs://).")
        String registry;

        @Spec
        CommandSpec spec;

        Registry registry() {
            return new Registry(registry, new Configuration());
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        /** NAME of NAME or NAME@vNNNN. */
        static String nameOf(String ref) {
            return Registry.checkName(ref.contains("@") ? ref.substring(0, ref.indexOf('@')) : ref);
        }

        /** vNNNN of NAME@vNNNN, LATEST's version for NAME or NAME@latest. */
        static String versionOf(Registry r, String ref) {
            String name = nameOf(ref);
            String v = ref.contains("@") ? ref.substring(ref.indexOf('@') + 1) : "latest";
            if (v.equals("latest")) {
                v = r.latest(name);
                if (v == null) {
                    throw new UserException("'" + name + "' has no LATEST version in " + r.root() + " (versions: " + r.versions(name) + ")");
                }
            } else if (!r.versions(name).contains(v)) {
                throw new UserException("'" + name + "' has no version " + v + " in " + r.root() + " (versions: " + r.versions(name) + ")");
            }
            return v;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "One line per version: LATEST marked with *, its kind (a model family or mllib-pipeline), gate metric and decision.")
    static final class ListVersions extends RegistryCommand implements Runnable {
        @Parameters(arity = "0..1", paramLabel = "NAME", description = "Only this model (default: all).")
        String name;

        @Override
        public void run() {
            Registry r = registry();
            List<String> names = name != null ? List.of(Registry.checkName(name)) : r.names();
            out().printf("%-16s %-7s %-1s %-16s %-20s %-14s %-15s %-12s %-9s %s%n", "NAME", "VERSION", "", "KIND", "CREATED", "PARENT", "METRIC",
                    "VALUE", "GATE", "DATASET");
            for (String n : names) {
                String latest = r.latest(n);
                for (String v : r.versions(n)) {
                    Map<String, Object> reg = r.registration(n, v);
                    Map<String, Object> gate = r.gate(n, v);
                    Object value = gate == null ? null : ((Map<?, ?>) gate.get("candidate")).get("value");
                    Object dataset = reg.get("dataset") instanceof Map<?, ?> d ? d.get("dir") : reg.get("dataset");
                    out().printf(Locale.ROOT, "%-16s %-7s %-1s %-16s %-20s %-14s %-15s %-12s %-9s %s%n", n, v, v.equals(latest) ? "*" : "",
                            orDash(reg.get("kind")), shortTime(reg.get("created")), orDash(reg.get("parent")), gate == null ? "-" : gate.get("metric"),
                            value instanceof Number x ? String.format(Locale.ROOT, "%.4f", x.doubleValue()) : "-",
                            gate == null ? "undecided" : gate.get("decision"), orDash(dataset));
                }
            }
        }

        private static String shortTime(Object t) {
            String s = String.valueOf(t);
            return s.length() > 19 ? s.substring(0, 19) : s;
        }

        private static String orDash(Object o) {
            return o == null ? "-" : String.valueOf(o);
        }
    }

    @Command(name = "latest", mixinStandardHelpOptions = true, description = "Print the version LATEST points at, or 'none' (for scripts).")
    static final class Latest extends RegistryCommand implements Runnable {
        @Parameters(paramLabel = "NAME", description = "Model name.")
        String name;

        @Override
        public void run() {
            String v = registry().latest(Registry.checkName(name));
            out().println(v == null ? "none" : v);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "A version's registration (run, parent, data, training) and gate decision.")
    static final class Show extends RegistryCommand implements Runnable {
        @Parameters(paramLabel = "NAME[@vNNNN]", description = "Model name, NAME@latest or NAME@vNNNN (default: LATEST).")
        String ref;

        @Override
        public void run() {
            Registry r = registry();
            String name = nameOf(ref);
            String v = versionOf(r, ref);
            out().printf("%s@%s (%s)%s%n", name, v, r.versionDir(name, v), v.equals(r.latest(name)) ? ", LATEST" : "");
            out().println("registration: " + Json.write(r.registration(name, v)));
            Map<String, Object> gate = r.gate(name, v);
            out().println("gate: " + (gate == null ? "not decided" : Json.write(gate)));
            out().println("LATEST: " + Json.write(r.latestPointer(name)));
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true, description = "Point LATEST at a version, whatever its gate said (a deliberate override).")
    static final class Promote extends RegistryCommand implements Runnable {
        @Parameters(paramLabel = "NAME@vNNNN", description = "The version to make LATEST.")
        String ref;

        @Override
        public void run() {
            if (!ref.contains("@v")) {
                throw new UserException("promote needs NAME@vNNNN, got " + ref);
            }
            Registry r = registry();
            String name = nameOf(ref);
            String before = r.latest(name);
            r.moveLatest(name, versionOf(r, ref), "promote");
            out().printf("LATEST of %s: %s -> %s%n", name, before, r.latest(name));
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Point LATEST back at the newest older version the gate promoted, or at --to.")
    static final class Rollback extends RegistryCommand implements Runnable {
        @Parameters(paramLabel = "NAME", description = "Model name.")
        String name;

        @Option(names = "--to", paramLabel = "vNNNN", description = "The version to go back to (default: the newest older version the gate promoted).")
        String to;

        @Override
        public void run() {
            Registry r = registry();
            String current = versionOf(r, name);
            String target = to != null ? versionOf(r, name + "@" + to) : previousPromoted(r, current);
            r.moveLatest(name, target, "rollback");
            out().printf("LATEST of %s: %s -> %s%n", name, current, target);
        }

        private String previousPromoted(Registry r, String current) {
            List<String> versions = r.versions(name);
            for (int i = versions.indexOf(current) - 1; i >= 0; i--) {
                Map<String, Object> gate = r.gate(name, versions.get(i));
                if (gate != null && "promoted".equals(gate.get("decision"))) {
                    return versions.get(i);
                }
            }
            throw new UserException("'" + name + "' has no version older than " + current + " that the gate promoted; name one with --to");
        }
    }
}
