package io.keel.backend.e2e;

import java.util.List;

/** What one watcher received, response by response, as plain values the checker can reason about. */
final class WatchRecord {
    private WatchRecord() {
    }

    /** One event: {@code value} is null for a delete; {@code prev} null when no prev_kv came with it. */
    record Ev(long rev, String key, boolean put, String value, long createRev, long version, String prev) {
        String id() {
            return rev + "/" + key;
        }
    }

    /** One response: created, progress, or a batch of events. */
    record Resp(long headerRev, boolean created, boolean progress, List<Ev> events) {
    }

    /** One write a writer attempted; {@code rev} is 0 unless it was acknowledged. */
    record Write(String key, String value, boolean acked, long rev) {
        boolean isDelete() {
            return value == null;
        }
    }
}
