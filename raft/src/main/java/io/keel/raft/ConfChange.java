package io.keel.raft;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A single-member configuration change, carried as the data of a {@link EntryType#CONF_CHANGE}
 * entry. Immutable value; thread-safe.
 *
 * @param type    what to change
 * @param nodeId  the member concerned (> 0)
 * @param context opaque application bytes (etcd puts the member's URLs here)
 */
public record ConfChange(ConfChangeType type, long nodeId, byte[] context) {
    private static final byte FORMAT_V1 = 1;

    public ConfChange {
        Objects.requireNonNull(type, "type");
        context = context == null ? new byte[0] : context;
    }

    /** Binary form stored in the log: version byte, type ordinal, node id, context length, context. */
    public byte[] encode() {
        ByteBuffer buf = ByteBuffer.allocate(1 + 1 + 8 + 4 + context.length);
        buf.put(FORMAT_V1).put((byte) type.ordinal()).putLong(nodeId).putInt(context.length).put(context);
        return buf.array();
    }

    /** Decodes {@link #encode()}'s output; throws IllegalArgumentException on malformed input. */
    public static ConfChange decode(byte[] bytes) {
        try {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            if (buf.get() != FORMAT_V1) {
                throw new IllegalArgumentException("unknown conf change format");
            }
            ConfChangeType type = ConfChangeType.values()[buf.get()];
            long nodeId = buf.getLong();
            byte[] ctx = new byte[buf.getInt()];
            buf.get(ctx);
            if (buf.hasRemaining()) {
                throw new IllegalArgumentException("trailing bytes in conf change");
            }
            return new ConfChange(type, nodeId, ctx);
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException("malformed conf change", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfChange c && c.type == type && c.nodeId == nodeId && Arrays.equals(c.context, context);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, nodeId) * 31 + Arrays.hashCode(context);
    }

    @Override
    public String toString() {
        return "ConfChange{" + type + " " + nodeId + "}";
    }
}
