package io.keel.server.apply;

import io.keel.server.errors.EtcdError;
import io.keel.server.errors.EtcdException;

import java.util.concurrent.CompletableFuture;

/**
 * The outcome of applying one request, handed to the member that proposed it. Immutable;
 * thread-safe.
 *
 * @param value      the result (an MVCC response, a member or alarm list), null on error
 * @param revision   the store's revision after applying, for the response header
 * @param error      the failure clients see, null on success
 * @param afterApply completes when work started by the apply is finished (physical compaction)
 */
public record ApplyResult(Object value, long revision, EtcdException error, CompletableFuture<Void> afterApply) {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    public static ApplyResult ok(Object value, long revision) {
        return new ApplyResult(value, revision, null, DONE);
    }

    public static ApplyResult failed(EtcdError error, long revision) {
        return new ApplyResult(null, revision, new EtcdException(error), DONE);
    }

    public boolean failed() {
        return error != null;
    }
}
