package dev.nightjar.spark;

import dev.nightjar.nd4j.NativeTuning;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** Versions and the git commit, for provenance: read from the jars and the build's git.properties. */
public final class Versions {
    private Versions() {
    }

    public static Map<String, Object> all(String sparkVersion) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("nightjar", mavenVersion("dev.nightjar", "spark-jobs"));
        v.put("git_commit", gitCommit());
        v.put("java", System.getProperty("java.version"));
        v.put("spark", sparkVersion);
        v.put("dl4j", mavenVersion("org.deeplearning4j", "deeplearning4j-nn"));
        v.put("nd4j", mavenVersion("org.nd4j", "nd4j-api"));
        v.put("nd4j_backend", NativeTuning.backendSummary());
        return v;
    }

    public static String gitCommit() {
        Properties p = load("git.properties");
        String id = p.getProperty("git.commit.id", "unknown");
        return Boolean.parseBoolean(p.getProperty("git.dirty", "false")) ? id + "-dirty" : id;
    }

    static String mavenVersion(String group, String artifact) {
        return load("META-INF/maven/" + group + "/" + artifact + "/pom.properties").getProperty("version", "unknown");
    }

    private static Properties load(String resource) {
        Properties p = new Properties();
        try (InputStream in = Versions.class.getClassLoader().getResourceAsStream(resource)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException ignored) {
            // absent: reported as unknown
        }
        return p;
    }
}
