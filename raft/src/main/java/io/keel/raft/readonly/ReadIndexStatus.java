package io.keel.raft.readonly;

import io.keel.raft.Message;

import java.util.HashMap;
import java.util.Map;

/**
 * One ReadIndex request waiting for a heartbeat quorum: the request, the commit index at the time
 * it arrived, and who has acknowledged leadership since. Owned by {@link ReadOnly}; not thread-safe.
 */
public final class ReadIndexStatus {
    private final Message request;
    private final long index;
    private final Map<Long, Boolean> acks = new HashMap<>();

    ReadIndexStatus(Message request, long index) {
        this.request = request;
        this.index = index;
    }

    /** The original READ_INDEX message (its {@code from} is 0 or the leader for local requests). */
    public Message request() {
        return request;
    }

    /** The read point: the leader's commit index when the request arrived. */
    public long index() {
        return index;
    }

    Map<Long, Boolean> acks() {
        return acks;
    }
}
