package io.keel.tracing.log;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Test helper: finds etcd's captured reference logs in a {@code shared/reference} directory above the module. */
public final class ReferenceSamples {
    private ReferenceSamples() {
    }

    /** The lines of {@code name}; the test is skipped (not passed) when the reference is not checked out. */
    public static List<String> lines(String name) throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("reference").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return Files.readAllLines(candidate);
            }
        }
        assumeTrue(false, "etcd reference sample " + name + " not found above " + Path.of("").toAbsolutePath());
        return List.of();
    }
}
