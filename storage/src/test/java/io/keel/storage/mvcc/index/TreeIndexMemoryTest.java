package io.keel.storage.mvcc.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.storage.mvcc.Revision;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What the key index costs per key, measured as the bytes this thread allocates while it indexes
 * keys whose byte arrays and revisions already exist (as the applier's do): everything allocated
 * there is retained by the index, apart from growth copies, so it bounds the retained size from
 * above. The index is held by every member for its whole life (a key put once: 219 bytes allocated here
 * when each generation and revision was an object, 123 packed); the bound fails the former.
 */
class TreeIndexMemoryTest {
    private static final int KEYS = 20_000;

    @Test
    void aKeyPutOnceCostsTheIndexAtMost140Bytes() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertThat(threads.isThreadAllocatedMemorySupported()).isTrue();
        threads.setThreadAllocatedMemoryEnabled(true);
        long tid = Thread.currentThread().getId();
        build(prepare(0)); // warm-up: class loading and the interpreter's first allocations
        Object[][] input = prepare(1);
        long before = threads.getThreadAllocatedBytes(tid);
        TreeIndex index = build(input);
        long perKey = (threads.getThreadAllocatedBytes(tid) - before) / KEYS;
        assertThat(index.size()).isEqualTo(KEYS);
        // Skip-list node (24) and its share of index nodes (~12), KeyIndex (24), 6-long array (64).
        assertThat(perKey).as("bytes allocated per key").isLessThanOrEqualTo(140);
    }

    @Test
    void aKeyPutOnceIsSixLongs() {
        KeyIndex ki = new KeyIndex(new byte[] {'k'});
        ki.put(new Revision(7, 2));
        assertThat(ki.packedBytes()).isEqualTo(16 + 6 * 8);
        assertThat(ki.packedLayout()).isEqualTo("[v1 c7_2 {7_2}]");
    }

    @Test
    void compactionGivesBackSpareCapacity() {
        KeyIndex ki = new KeyIndex(new byte[] {'k'});
        for (long main = 1; main <= 100; main++) {
            ki.put(new Revision(main, 0));
        }
        assertThat(ki.packedBytes()).isGreaterThanOrEqualTo(16 + (4 + 200) * 8);
        ki.compact(100, new java.util.HashSet<>());
        assertThat(ki.packedBytes()).isEqualTo(16 + 6 * 8);
        assertThat(ki.packedLayout()).isEqualTo("[v100 c1_0 {100_0}]");
    }

    private static Object[][] prepare(int round) {
        Object[][] input = new Object[KEYS][];
        for (int i = 0; i < KEYS; i++) {
            byte[] key = String.format("key-%d-%08d", round, i).getBytes(StandardCharsets.UTF_8);
            input[i] = new Object[] {key, new Revision(i + 1, 0)};
        }
        return input;
    }

    private static TreeIndex build(Object[][] input) {
        TreeIndex index = new TreeIndex();
        for (Object[] kv : input) {
            index.put((byte[]) kv[0], (Revision) kv[1], null);
        }
        return index;
    }
}
