package io.keel.raft.readonly;

import io.keel.raft.Message;
import io.keel.raft.MessageType;
import io.keel.raft.ReadOnlyOption;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ReadOnlyTest {

    private static Message req(String ctx) {
        return Message.builder(MessageType.READ_INDEX).context(ctx.getBytes(StandardCharsets.UTF_8)).build();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void advancingToARequestReleasesItAndEveryEarlierOneInOrder() {
        ReadOnly ro = new ReadOnly(ReadOnlyOption.SAFE);
        ro.addRequest(3, req("a"));
        ro.addRequest(4, req("b"));
        ro.addRequest(5, req("c"));
        ro.addRequest(9, req("b")); // a repeated context keeps its first read point
        assertThat(ro.lastPendingRequestContext()).isEqualTo(b("c"));
        assertThat(ro.advance(b("b"))).extracting(ReadIndexStatus::index).containsExactly(3L, 4L);
        assertThat(ro.pendingCount()).isEqualTo(1);
        assertThat(ro.recvAck(2, b("a"))).isNull();
        assertThat(ro.recvAck(2, b("c"))).containsEntry(2L, true);
    }
}
