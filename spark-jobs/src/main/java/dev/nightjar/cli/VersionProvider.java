package dev.nightjar.cli;

import dev.nightjar.spark.Versions;
import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"nightjar " + Versions.all(org.apache.spark.package$.MODULE$.SPARK_VERSION()).toString()};
    }
}
