package io.keel.storage.mvcc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * etcd's txn semantics: every compare, nested ones included, is evaluated first against the
 * state before the txn; then the chosen branches are checked (ignore_value/ignore_lease need the
 * key; range revisions must be neither future nor compacted) before anything is written; then
 * the branches run in order. Stateless; thread-safe.
 */
final class TxnEvaluator {
    private TxnEvaluator() {
    }

    /** The outcome of every compare of a txn tree, decided before any write. */
    record Path(boolean succeeded, List<Path> nested) {
    }

    /** Runs {@code rt}; the outer response's revision is left 0 for the caller to set. */
    static TxnResponse execute(TxnView view, TxnRequest rt) {
        Path path = decide(view, rt);
        check(view, rt, path);
        return run(view, rt, path);
    }

    static Path decide(TxnView view, TxnRequest rt) {
        boolean ok = true;
        for (Compare c : rt.compare()) {
            if (!holds(view, c)) {
                ok = false;
                break;
            }
        }
        List<Path> nested = new ArrayList<>();
        for (RequestOp op : ok ? rt.success() : rt.failure()) {
            if (op instanceof TxnRequest t) {
                nested.add(decide(view, t));
            }
        }
        return new Path(ok, nested);
    }

    private static boolean holds(TxnView view, Compare c) {
        RangeResponse rr;
        try {
            rr = view.range(RangeRequest.builder(c.key()).rangeEnd(c.rangeEnd()).build());
        } catch (MvccException e) {
            return false;
        }
        if (rr.kvs().isEmpty()) {
            // A missing key has no value to compare (gRPC cannot tell nil from empty); other targets compare as zero.
            return c.target() != Compare.CompareTarget.VALUE && compare(c, new KeyValue(c.key(), 0, 0, 0, null, 0));
        }
        for (KeyValue kv : rr.kvs()) {
            if (!compare(c, kv)) {
                return false;
            }
        }
        return true;
    }

    private static boolean compare(Compare c, KeyValue kv) {
        int result = switch (c.target()) {
            case VALUE -> Arrays.compareUnsigned(kv.value(), c.value());
            case CREATE -> Long.compare(kv.createRevision(), c.number());
            case MOD -> Long.compare(kv.modRevision(), c.number());
            case VERSION -> Long.compare(kv.version(), c.number());
            case LEASE -> Long.compare(kv.lease(), c.number());
        };
        return switch (c.result()) {
            case EQUAL -> result == 0;
            case NOT_EQUAL -> result != 0;
            case GREATER -> result > 0;
            case LESS -> result < 0;
        };
    }

    private static void check(TxnView view, TxnRequest rt, Path path) {
        int nestedAt = 0;
        for (RequestOp op : path.succeeded() ? rt.success() : rt.failure()) {
            if (op instanceof TxnRequest t) {
                check(view, t, path.nested().get(nestedAt++));
            } else if (op instanceof PutRequest p && (p.ignoreValue() || p.ignoreLease())) {
                if (view.range(RangeRequest.builder(p.key()).build()).kvs().isEmpty()) {
                    throw new KeyNotFoundException();
                }
            } else if (op instanceof RangeRequest r && r.revision() != 0) {
                if (r.revision() > view.beginRevision()) {
                    throw new FutureRevisionException();
                }
                if (r.revision() < view.compactRevision()) {
                    throw new CompactedException();
                }
            }
        }
    }

    private static TxnResponse run(TxnView view, TxnRequest rt, Path path) {
        List<ResponseOp> responses = new ArrayList<>();
        int nestedAt = 0;
        for (RequestOp op : path.succeeded() ? rt.success() : rt.failure()) {
            if (op instanceof RangeRequest r) {
                responses.add(view.range(r));
            } else if (op instanceof PutRequest p) {
                responses.add(view.put(p));
            } else if (op instanceof DeleteRangeRequest d) {
                responses.add(view.deleteRange(d));
            } else {
                responses.add(run(view, (TxnRequest) op, path.nested().get(nestedAt++)));
            }
        }
        return new TxnResponse(0, path.succeeded(), responses);
    }
}
