package io.keel.storage.mvcc.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.keel.storage.mvcc.KeyValue;
import io.keel.storage.mvcc.Revision;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CodecTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void keyValueEncodesAsEtcdsProtobuf() {
        KeyValue kv = new KeyValue(b("foo"), 2, 2, 1, b("bar"), 0);
        // mvccpb.KeyValue{Key:"foo", CreateRevision:2, ModRevision:2, Version:1, Value:"bar"} as gogo-protobuf marshals it
        assertThat(HexFormat.of().formatHex(KeyValueCodec.encode(kv))).isEqualTo("0a03666f6f1002180220012a03626172");
        assertThat(KeyValueCodec.decode(KeyValueCodec.encode(kv))).isEqualTo(kv);
    }

    @Test
    void largeNumbersAndLeasesRoundTrip() {
        KeyValue kv = new KeyValue(b("k"), Long.MAX_VALUE, 300, 1L << 40, new byte[1000], 0x7fabcdef12345L);
        assertThat(KeyValueCodec.decode(KeyValueCodec.encode(kv))).isEqualTo(kv);
    }

    @Test
    void revisionKeysAreEtcdsSeventeenBytesPlusTombstoneMark() {
        byte[] key = RevisionKeys.encode(new Revision(5, 1), false);
        assertThat(HexFormat.of().formatHex(key)).isEqualTo("00000000000000055f0000000000000001");
        byte[] tomb = RevisionKeys.encode(new Revision(5, 1), true);
        assertThat(tomb).hasSize(18);
        assertThat(tomb[17]).isEqualTo((byte) 't');
        assertThat(RevisionKeys.isTombstone(tomb)).isTrue();
        assertThat(RevisionKeys.isTombstone(key)).isFalse();
        assertThat(RevisionKeys.decode(tomb)).isEqualTo(new Revision(5, 1));
    }

    @Test
    void revisionKeysSortInRevisionOrder() {
        byte[] a = RevisionKeys.encode(new Revision(255, 9), true);
        byte[] b = RevisionKeys.encode(new Revision(256, 0), false);
        assertThat(java.util.Arrays.compareUnsigned(a, b)).isNegative();
    }
}
