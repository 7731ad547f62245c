package io.keel.server.apply;

import com.google.protobuf.ByteString;
import com.google.protobuf.TextFormat;
import io.keel.api.internal.v1.InternalRequest;
import java.nio.charset.StandardCharsets;

/**
 * The request text of etcd's "apply request took too long" warning, in etcd's compact protobuf
 * text shape ({@code header:<ID:N > put:<key:"k1" value_size:2 >}). Values are never printed,
 * only their sizes, as etcd does; a transaction is summarised by its operation counts.
 *
 * <p>Owner: {@link ApplyObservation}. Thread-safety: stateless.
 */
final class ApplyRequestText {
    private ApplyRequestText() {
    }

    static String of(InternalRequest req) {
        StringBuilder out = new StringBuilder(96).append("header:<ID:").append(Long.toUnsignedString(req.getId())).append(" > ");
        switch (req.getRequestCase()) {
            case PUT -> {
                var put = req.getPut();
                out.append("put:<key:").append(quoted(put.getKey())).append(" value_size:").append(put.getValue().size());
                if (put.getLease() != 0) {
                    out.append(" lease:").append(put.getLease());
                }
                out.append(" >");
            }
            case DELETE_RANGE -> {
                var del = req.getDeleteRange();
                out.append("delete_range:<key:").append(quoted(del.getKey()));
                if (!del.getRangeEnd().isEmpty()) {
                    out.append(" range_end:").append(quoted(del.getRangeEnd()));
                }
                out.append(" >");
            }
            case TXN -> out.append("txn:<compare_count:").append(req.getTxn().getCompareCount())
                    .append(" success_count:").append(req.getTxn().getSuccessCount())
                    .append(" failure_count:").append(req.getTxn().getFailureCount()).append(" >");
            case COMPACTION -> out.append("compaction:<revision:").append(req.getCompaction().getRevision()).append(" >");
            case ALARM -> out.append("alarm:<").append(TextFormat.shortDebugString(req.getAlarm())).append(" >");
            case MEMBER_ATTRIBUTES -> out.append("member_attributes:<")
                    .append(TextFormat.shortDebugString(req.getMemberAttributes())).append(" >");
            case REQUEST_NOT_SET -> {
            }
        }
        return out.toString();
    }

    private static String quoted(ByteString bytes) {
        return "\"" + bytes.toString(StandardCharsets.UTF_8).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
