package dev.nightjar.cli;

import dev.nightjar.model.family.Families;
import dev.nightjar.model.family.ModelFamily;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The model-family seam holds: no main source of spark-jobs names a concrete family class or
 * compares a family's name, so a new family is a class in model-lib plus its registration line.
 */
class FamilySeamTest {
    @Test
    void sparkJobsNamesNoConcreteFamily() throws IOException {
        List<String> forbidden = new ArrayList<>();
        for (ModelFamily f : Families.all()) {
            forbidden.add(f.getClass().getSimpleName());
            forbidden.add('"' + f.name() + '"');
        }
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String text = Files.readString(p);
                for (String name : forbidden) {
                    if (text.contains(name)) {
                        found.add(p + " mentions " + name);
                    }
                }
            }
        }
        assertEquals(List.of(), found);
    }
}
