package io.keel.storage.wal;

import io.keel.raft.Entry;
import io.keel.raft.EntryType;
import io.keel.raft.HardState;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every record carries term, index, type and a CRC32C; any single flipped bit or cut is detected. */
class RecordCodecTest {
    @Test
    void recordsRoundTripWithTheirTypeTermIndexAndPayload() {
        Entry conf = new Entry(7, 42, EntryType.CONF_CHANGE, new byte[] {1, 2, 3});
        assertThat(RecordCodec.decode(RecordCodec.encode(WalRecord.ofEntry(conf))).toEntry()).isEqualTo(conf);
        HardState hs = new HardState(9, 3, 40);
        assertThat(RecordCodec.decode(RecordCodec.encode(WalRecord.ofHardState(hs))).toHardState()).isEqualTo(hs);
        WalRecord snap = WalRecord.snapshot(4, 100, true);
        assertThat(RecordCodec.decode(RecordCodec.encode(snap))).isEqualTo(snap);
        assertThat(RecordCodec.decode(RecordCodec.encode(snap)).replacesLog()).isTrue();
        assertThat(RecordCodec.decode(RecordCodec.encode(WalRecord.truncate(5, 2)))).isEqualTo(WalRecord.truncate(5, 2));
    }

    @Test
    void everySingleBitFlipIsDetected() {
        byte[] good = RecordCodec.encode(WalRecord.ofEntry(Entry.normal(3, 17, "hello raft".getBytes())));
        for (int bit = 0; bit < good.length * 8; bit++) {
            byte[] bad = good.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThatThrownBy(() -> RecordCodec.decode(bad)).as("bit " + bit).isInstanceOf(CorruptRecordException.class);
        }
    }

    @Test
    void aRecordCutShortOrPaddedWithZerosIsDetected() {
        Random rnd = new Random(7);
        byte[] payload = new byte[200];
        rnd.nextBytes(payload);
        byte[] good = RecordCodec.encode(WalRecord.ofEntry(Entry.normal(3, 17, payload)));
        for (int len = 0; len < good.length; len++) {
            byte[] cut = java.util.Arrays.copyOf(good, len);
            assertThatThrownBy(() -> RecordCodec.decode(cut)).isInstanceOf(CorruptRecordException.class);
            byte[] zeroTail = good.clone();
            java.util.Arrays.fill(zeroTail, len, good.length, (byte) 0);
            assertThatThrownBy(() -> RecordCodec.decode(zeroTail)).isInstanceOf(CorruptRecordException.class);
        }
    }
    @Test
    void recoveryDecodesARecordFromTheFrontOfAReusedBufferAndDropsOnlyEntryData() {
        byte[] buffer = new byte[4096];
        java.util.Arrays.fill(buffer, (byte) 0x5a); // a longer earlier record's bytes past this one
        byte[] entry = RecordCodec.encode(WalRecord.ofEntry(Entry.normal(3, 17, "hello raft".getBytes())));
        System.arraycopy(entry, 0, buffer, 0, entry.length);
        WalRecord withoutData = RecordCodec.decode(buffer, entry.length, false);
        assertThat(withoutData.type()).isEqualTo(RecordType.ENTRY_NORMAL);
        assertThat(withoutData.term()).isEqualTo(3);
        assertThat(withoutData.index()).isEqualTo(17);
        assertThat(withoutData.payload()).isEmpty();
        assertThat(RecordCodec.decode(buffer, entry.length, true).toEntry()).isEqualTo(Entry.normal(3, 17, "hello raft".getBytes()));
        // What replay needs from the other records survives without entry data.
        HardState hs = new HardState(9, 3, 40);
        byte[] hard = RecordCodec.encode(WalRecord.ofHardState(hs));
        System.arraycopy(hard, 0, buffer, 0, hard.length);
        assertThat(RecordCodec.decode(buffer, hard.length, false).toHardState()).isEqualTo(hs);
        byte[] snap = RecordCodec.encode(WalRecord.snapshot(4, 100, true));
        System.arraycopy(snap, 0, buffer, 0, snap.length);
        assertThat(RecordCodec.decode(buffer, snap.length, false).replacesLog()).isTrue();
    }

    @Test
    void withoutEntryDataEveryBitFlipIsStillDetected() {
        byte[] good = RecordCodec.encode(WalRecord.ofEntry(Entry.normal(3, 17, "hello raft".getBytes())));
        byte[] buffer = java.util.Arrays.copyOf(good, good.length + 64);
        for (int bit = 0; bit < good.length * 8; bit++) {
            byte[] bad = buffer.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThatThrownBy(() -> RecordCodec.decode(bad, good.length, false)).as("bit " + bit)
                    .isInstanceOf(CorruptRecordException.class);
        }
    }
}
