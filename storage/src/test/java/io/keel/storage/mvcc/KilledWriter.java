package io.keel.storage.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a writer's {@code main} in a child JVM (the test JVM's class path and the pom's JVM flags),
 * reads the indexes it prints after {@code prefix} until one reaches {@code atLeast}, then
 * SIGKILLs it: no shutdown hooks, no LMDB close. Used by the kill -9 tests. Test thread only.
 */
final class KilledWriter {
    private KilledWriter() {
    }

    /** Returns the last index the child reported before it was killed. */
    static long runAndKill(Class<?> writer, String prefix, long atLeast, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(Arrays.asList(System.getProperty("keel.jvm.flags", "").trim().split("\\s+")));
        cmd.removeIf(String::isEmpty);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), writer.getName()));
        cmd.addAll(Arrays.asList(args));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        long last = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; last < atLeast && (line = out.readLine()) != null;) {
                if (line.startsWith(prefix)) {
                    last = Long.parseLong(line.substring(prefix.length()));
                }
            }
            child.destroyForcibly();
            child.waitFor();
        }
        assertThat(last).as("child progress").isGreaterThanOrEqualTo(atLeast);
        return last;
    }
}
