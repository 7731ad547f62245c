package io.keel.server.errors;

import io.keel.storage.mvcc.CompactedException;
import io.keel.storage.mvcc.FutureRevisionException;
import io.keel.storage.mvcc.KeyNotFoundException;
import io.keel.storage.mvcc.MvccException;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The one place that decides which status a client sees for a failure. Expected errors arrive as
 * {@link EtcdException}; the caller giving up maps as etcd maps Go's context errors; anything else is
 * a bug or an unexpected I/O error and, as in etcd, goes out as UNKNOWN with its own text.
 * Stateless; thread-safe.
 */
public final class ErrorMapping {
    private ErrorMapping() {
    }

    /** The status a client should receive for {@code failure}. */
    public static ErrorStatus toStatus(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof EtcdException e) {
            return of(e.error());
        }
        if (t instanceof MvccException e) {
            return of(storeError(e));
        }
        if (t instanceof CancellationException) {
            return of(EtcdError.CANCELED);
        }
        if (t instanceof TimeoutException) {
            return of(EtcdError.TIMEOUT);
        }
        return new ErrorStatus(GrpcCode.UNKNOWN, String.valueOf(t.getMessage()));
    }

    /** The etcd error a store failure surfaces as (the store's messages lack etcd's prefix). */
    public static EtcdError storeError(MvccException e) {
        if (e instanceof CompactedException) {
            return EtcdError.COMPACTED;
        }
        if (e instanceof FutureRevisionException) {
            return EtcdError.FUTURE_REV;
        }
        if (e instanceof KeyNotFoundException) {
            return EtcdError.KEY_NOT_FOUND;
        }
        throw new IllegalStateException("unmapped store error", e);
    }

    /** The status of one table entry. */
    public static ErrorStatus of(EtcdError error) {
        return new ErrorStatus(error.code(), error.message());
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        int depth = 0;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null
                && depth++ < 8) {
            t = t.getCause();
        }
        return t;
    }
}
