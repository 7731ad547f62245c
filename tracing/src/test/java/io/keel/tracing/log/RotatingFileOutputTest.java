package io.keel.tracing.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingFileOutputTest {

    private static byte[] line(int i) {
        return String.format("{\"n\":%04d}\n", i).getBytes(StandardCharsets.UTF_8); // 11 bytes
    }

    @Test
    void rotatesBeforeALineWouldPassTheLimitAndKeepsOnlyMaxBackups(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keel.log");
        try (RotatingFileOutput out = new RotatingFileOutput(file, true, 50, 2)) {
            for (int i = 0; i < 20; i++) {
                out.write(line(i)); // 4 lines (44 bytes) fit in 50
            }
        }
        assertThat(Files.exists(dir.resolve("keel.log.3"))).isFalse();
        List<String> kept = new ArrayList<>();
        for (Path p : List.of(dir.resolve("keel.log.2"), dir.resolve("keel.log.1"), file)) {
            assertThat(Files.size(p)).isLessThanOrEqualTo(50);
            kept.addAll(Files.readAllLines(p));
        }
        // Twenty lines in files of four: the newest twelve survive, in order, none torn.
        List<String> expected = new ArrayList<>();
        for (int i = 8; i < 20; i++) {
            expected.add(String.format("{\"n\":%04d}", i));
        }
        assertThat(kept).isEqualTo(expected);
    }

    @Test
    void appendsToAnExistingFileAndCountsItsSize(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keel.log");
        Files.write(file, line(0));
        try (RotatingFileOutput out = new RotatingFileOutput(file, true, 30, 1)) {
            assertThat(out.sizeBytes()).isEqualTo(11);
            out.write(line(1));
            out.write(line(2)); // 33 > 30: rotates first
        }
        assertThat(Files.readAllLines(dir.resolve("keel.log.1"))).containsExactly("{\"n\":0000}", "{\"n\":0001}");
        assertThat(Files.readAllLines(file)).containsExactly("{\"n\":0002}");
    }

    @Test
    void concurrentWritersNeverTearOrLoseALineAcrossRotations(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keel.log");
        int threads = 4;
        int perThread = 500;
        try (RotatingFileOutput out = new RotatingFileOutput(file, true, 4096, 50)) {
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                writers.add(new Thread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        out.write(String.format("{\"t\":%d,\"i\":%04d}\n", id, i).getBytes(StandardCharsets.UTF_8));
                    }
                }));
            }
            writers.forEach(Thread::start);
            for (Thread writer : writers) {
                writer.join(30_000);
                assertThat(writer.isAlive()).isFalse();
            }
        }
        List<String> all = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                assertThat(Files.size(p)).isLessThanOrEqualTo(4096);
                all.addAll(Files.readAllLines(p));
            }
        }
        assertThat(all).hasSize(threads * perThread).allMatch(l -> l.matches("\\{\"t\":\\d,\"i\":\\d{4}}"));
        assertThat(new java.util.HashSet<>(all)).hasSize(threads * perThread);
        assertThat(Files.exists(dir.resolve("keel.log.1"))).isTrue();
    }

    @Test
    void aLineWrittenAfterCloseIsKeptAndLeavesNoStreamOpen(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keel.log");
        RotatingFileOutput out = new RotatingFileOutput(file, true, 1000, 1);
        out.write(line(1));
        out.close();
        out.write(line(2));
        assertThat(Files.readAllLines(file)).containsExactly("{\"n\":0001}", "{\"n\":0002}");
        Files.delete(file); // each late line opens the file, appends and closes it again
        out.write(line(3));
        assertThat(Files.readAllLines(file)).containsExactly("{\"n\":0003}");
    }

    @Test
    void neverRotatesWhenRotationIsOff(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keel.log");
        try (RotatingFileOutput out = new RotatingFileOutput(file, false, 20, 3)) {
            for (int i = 0; i < 10; i++) {
                out.write(line(i));
            }
        }
        assertThat(Files.readAllLines(file)).hasSize(10);
        assertThat(Files.exists(dir.resolve("keel.log.1"))).isFalse();
    }
}
