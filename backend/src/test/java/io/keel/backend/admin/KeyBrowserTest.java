package io.keel.backend.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.keel.api.mvccpb.KeyValue;
import org.junit.jupiter.api.Test;

class KeyBrowserTest {
    @Test
    void prefixEndIncrementsTheLastByteBelow0xff() {
        assertThat(KeyBrowser.prefixEnd(ByteString.copyFromUtf8("a/")).toStringUtf8()).isEqualTo("a0");
        assertThat(KeyBrowser.prefixEnd(ByteString.copyFrom(new byte[] {'a', (byte) 0xff})).toStringUtf8())
                .isEqualTo("b");
        assertThat(KeyBrowser.prefixEnd(ByteString.copyFrom(new byte[] {(byte) 0xff}))).isEqualTo(ByteString.EMPTY);
    }

    @Test
    void valuesAreShownAsJsonTextOrHex() {
        assertThat(KeyBrowser.value(kv("{\"a\": [1]}".getBytes())).getString("encoding")).isEqualTo("json");
        assertThat(KeyBrowser.value(kv("{not json".getBytes())).getString("encoding")).isEqualTo("text");
        var hex = KeyBrowser.value(kv(new byte[] {(byte) 0xc3, 0x28}));
        assertThat(hex.getString("encoding")).isEqualTo("hex");
        assertThat(hex.getString("value")).isEqualTo("c328");
    }

    private static KeyValue kv(byte[] value) {
        return KeyValue.newBuilder().setKey(ByteString.copyFromUtf8("k")).setValue(ByteString.copyFrom(value))
                .setModRevision(2).setVersion(1).build();
    }
}
