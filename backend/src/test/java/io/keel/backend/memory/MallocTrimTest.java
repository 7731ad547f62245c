package io.keel.backend.memory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

class MallocTrimTest {
    /** glibc is mapped into this JVM (Linux); elsewhere there is nothing to bind. */
    private static boolean glibc() throws IOException {
        Path maps = Path.of("/proc/self/maps");
        return Files.exists(maps) && Files.readString(maps).contains("libc.so.6");
    }

    @Test
    void bindsGlibcsMallocTrimAndCallsIt() throws IOException {
        assumeThat(glibc()).as("glibc").isTrue();
        Optional<MallocTrim> trim = MallocTrim.load();
        assertThat(trim).isPresent();
        trim.get().run();
        trim.get().run();
    }
}
