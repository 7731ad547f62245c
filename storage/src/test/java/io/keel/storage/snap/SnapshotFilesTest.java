package io.keel.storage.snap;

import io.keel.raft.ConfState;
import io.keel.raft.HardState;
import io.keel.raft.Snapshot;
import io.keel.raft.SnapshotMetadata;
import io.keel.storage.wal.QueueFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Snapshot and hard-state files: named as etcd names them, written atomically, damage detected. */
class SnapshotFilesTest {
    @TempDir
    Path dir;

    @Test
    void snapshotsAreNamedByTermAndIndexListedNewestFirstAndReadBack() {
        SnapshotFiles files = new SnapshotFiles(dir);
        Snapshot a = new Snapshot(new SnapshotMetadata(new ConfState(Set.of(1L, 2L), Set.of(3L)), 10, 2), new byte[] {1});
        Snapshot b = new Snapshot(new SnapshotMetadata(ConfState.ofVoters(1L), 20, 3), new byte[] {2, 3});
        assertThat(files.save(a).getFileName().toString()).isEqualTo("0000000000000002-000000000000000a.snap");
        files.save(b);
        assertThat(files.list()).extracting(SnapshotFiles.Name::index).containsExactly(20L, 10L);
        assertThat(files.read(files.list().get(1))).isEqualTo(a);
        assertThat(dir.resolve("0000000000000002-000000000000000a.snap" + AtomicFiles.TEMP_SUFFIX)).doesNotExist();
    }

    @Test
    void aDamagedSnapshotFileIsReportedByName() throws Exception {
        SnapshotFiles files = new SnapshotFiles(dir);
        Path p = files.save(new Snapshot(new SnapshotMetadata(ConfState.ofVoters(1L), 10, 2), new byte[100]));
        QueueFiles.flipByte(p, 40);
        assertThatThrownBy(() -> files.read(files.list().get(0)))
                .isInstanceOf(SnapshotFormatException.class).hasMessageContaining(p.toString());
    }

    @Test
    void metadataIsReadWithoutTheDataYetTheWholeFileIsChecked() throws Exception {
        SnapshotFiles files = new SnapshotFiles(dir);
        byte[] data = new byte[3 << 20]; // larger than one read chunk
        new java.util.Random(7).nextBytes(data);
        Snapshot snap = new Snapshot(new SnapshotMetadata(new ConfState(Set.of(1L, 2L), Set.of(3L)), 30, 4), data);
        Path p = files.save(snap);
        assertThat(files.readMetadata(files.list().get(0))).isEqualTo(snap.metadata());
        assertThat(files.read(files.nameOf(snap.metadata()))).isEqualTo(snap);

        QueueFiles.flipByte(p, (int) Files.size(p) - 100); // deep in the data, past the first chunk
        assertThatThrownBy(() -> files.readMetadata(files.list().get(0)))
                .isInstanceOf(SnapshotFormatException.class).hasMessageContaining(p.toString());
        Files.write(p, java.util.Arrays.copyOf(Files.readAllBytes(p), 60)); // cut short
        assertThatThrownBy(() -> files.readMetadata(files.list().get(0)))
                .isInstanceOf(SnapshotFormatException.class).hasMessageContaining(p.toString());
    }

    @Test
    void purgeKeepsTheNewestAndRemovesCrashLeftoversButNothingElse() throws Exception {
        SnapshotFiles files = new SnapshotFiles(dir);
        for (int i = 1; i <= 4; i++) {
            files.save(new Snapshot(new SnapshotMetadata(ConfState.ofVoters(1L), i, 1), null));
        }
        Path leftover = dir.resolve(SnapshotFiles.fileName(1, 9) + AtomicFiles.TEMP_SUFFIX);
        Files.write(leftover, new byte[3]);
        Files.write(dir.resolve("db"), new byte[3]);
        Files.write(dir.resolve("db" + AtomicFiles.TEMP_SUFFIX), new byte[3]);
        files.purge(2);
        assertThat(files.list()).extracting(SnapshotFiles.Name::index).containsExactly(4L, 3L);
        assertThat(leftover).doesNotExist();
        assertThat(dir.resolve("db")).as("the MVCC database is not ours").exists();
        assertThat(dir.resolve("db" + AtomicFiles.TEMP_SUFFIX)).as("nor its temporary files").exists();
    }

    @Test
    void hardStateRoundTripsAndDamageIsDetected() throws Exception {
        HardStateFile f = new HardStateFile(dir);
        assertThat(f.load()).isEqualTo(HardState.EMPTY);
        f.save(new HardState(5, 2, 99));
        assertThat(f.load()).isEqualTo(new HardState(5, 2, 99));
        QueueFiles.flipByte(f.path(), 10);
        assertThatThrownBy(f::load).isInstanceOf(SnapshotFormatException.class).hasMessageContaining(f.path().toString());
    }
}
