package io.keel.storage.mvcc.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotStreamTest {
    @TempDir
    Path dir;

    @Test
    void streamIsPaddedTo512AndEndsWithTheSha256OfWhatPrecedesIt() throws Exception {
        byte[] data = new byte[1000];
        new Random(1).nextBytes(data);
        Path db = Files.write(dir.resolve("db"), data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long n = SnapshotStream.write(db, out);
        byte[] stream = out.toByteArray();
        assertThat(n).isEqualTo(stream.length).isEqualTo(1024 + 32);
        byte[] body = Arrays.copyOf(stream, 1024);
        assertThat(Arrays.copyOfRange(stream, 1024, stream.length))
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(body));
        Path restored = dir.resolve("restored");
        SnapshotStream.read(new ByteArrayInputStream(stream), restored);
        assertThat(Files.readAllBytes(restored)).isEqualTo(body);
    }

    @Test
    void truncatedOrMisalignedStreamsAreRejected() throws Exception {
        Path db = Files.write(dir.resolve("db"), new byte[512]);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotStream.write(db, out);
        byte[] stream = out.toByteArray();
        assertThatThrownBy(() -> SnapshotStream.read(new ByteArrayInputStream(Arrays.copyOf(stream, 20)),
                dir.resolve("a"))).isInstanceOf(SnapshotIntegrityException.class);
        assertThatThrownBy(() -> SnapshotStream.read(new ByteArrayInputStream(Arrays.copyOf(stream, stream.length - 1)),
                dir.resolve("b"))).isInstanceOf(SnapshotIntegrityException.class);
    }
}
