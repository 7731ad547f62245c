package io.keel.storage.raftlog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Only one member may use a data dir: a second opener fails fast naming the directory. */
class DataDirLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondStorageInTheSameProcessFailsFastNamingTheDataDir() {
        RaftLogConfig config = TestLogs.config(dir, TestLogs.clock());
        try (DurableRaftStorage first = DurableRaftStorage.open(config)) {
            assertThatThrownBy(() -> DurableRaftStorage.open(config))
                    .isInstanceOf(DataDirLockedException.class)
                    .hasMessageContaining("data dir " + dir);
            assertThat(first.lastIndex()).isZero();
        }
        try (DurableRaftStorage again = DurableRaftStorage.open(config)) {
            assertThat(again.lastIndex()).as("released on close").isZero();
        }
    }

    @Test
    void anotherProcessHoldingTheDataDirMakesOpenFailUntilItIsKilled() throws Exception {
        Path data = dir.resolve("data");
        try (ChildJvm holder = ChildJvm.start(WalChild.class, dir.resolve("stderr.log"), "hold", data.toString())) {
            assertThat(holder.nextLine("OPEN")).isNotNull();
            assertThatThrownBy(() -> DurableRaftStorage.open(RaftLogConfig.defaults(data)))
                    .isInstanceOf(DataDirLockedException.class)
                    .hasMessageContaining("data dir " + data)
                    .hasMessageContaining("in use by another Keel member");
            holder.kill();
        }
        try (DurableRaftStorage s = DurableRaftStorage.open(RaftLogConfig.defaults(data))) {
            assertThat(s.lastIndex()).as("the OS dropped the lock of the killed process").isZero();
        }
    }
}
