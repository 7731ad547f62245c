package io.keel.backend.grpc;

import com.google.protobuf.ByteString;
import io.keel.api.etcdserverpb.Compare;
import io.keel.api.etcdserverpb.DeleteRangeRequest;
import io.keel.api.etcdserverpb.PutRequest;
import io.keel.api.etcdserverpb.RangeRequest;
import io.keel.api.etcdserverpb.RequestOp;
import io.keel.api.etcdserverpb.TxnRequest;
import io.keel.server.errors.EtcdError;
import io.keel.server.errors.EtcdException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The request checks etcd's API layer makes before a KV request reaches the server: empty keys,
 * value/lease given with ignore_value/ignore_lease, too many txn operations, and a key written
 * twice within one txn branch (including nested txns and put-inside-deleted-range).
 * Stateless; thread-safe.
 */
public final class KvRequestChecks {
    private static final Comparator<ByteString> BYTES = ByteString.unsignedLexicographicalComparator();

    private KvRequestChecks() {
    }

    public static void checkRange(RangeRequest r) {
        require(!r.getKey().isEmpty(), EtcdError.EMPTY_KEY);
    }

    public static void checkPut(PutRequest r) {
        require(!r.getKey().isEmpty(), EtcdError.EMPTY_KEY);
        require(!(r.getIgnoreValue() && !r.getValue().isEmpty()), EtcdError.VALUE_PROVIDED);
        require(!(r.getIgnoreLease() && r.getLease() != 0), EtcdError.LEASE_PROVIDED);
    }

    public static void checkDelete(DeleteRangeRequest r) {
        require(!r.getKey().isEmpty(), EtcdError.EMPTY_KEY);
    }

    /** All of etcd's txn checks, with {@code --max-txn-ops}. */
    public static void checkTxn(TxnRequest r, long maxTxnOps) {
        checkTxnShape(r, maxTxnOps);
        new Branch().check(r.getSuccessList());
        new Branch().check(r.getFailureList());
    }

    private static void checkTxnShape(TxnRequest r, long maxTxnOps) {
        long ops = Math.max(r.getCompareCount(), Math.max(r.getSuccessCount(), r.getFailureCount()));
        require(ops <= maxTxnOps, EtcdError.TOO_MANY_OPS);
        for (Compare c : r.getCompareList()) {
            require(!c.getKey().isEmpty(), EtcdError.EMPTY_KEY);
        }
        for (RequestOp op : r.getSuccessList()) {
            checkOp(op, maxTxnOps - ops);
        }
        for (RequestOp op : r.getFailureList()) {
            checkOp(op, maxTxnOps - ops);
        }
    }

    private static void checkOp(RequestOp op, long maxTxnOps) {
        switch (op.getRequestCase()) {
            case REQUEST_RANGE -> checkRange(op.getRequestRange());
            case REQUEST_PUT -> checkPut(op.getRequestPut());
            case REQUEST_DELETE_RANGE -> checkDelete(op.getRequestDeleteRange());
            case REQUEST_TXN -> checkTxnShape(op.getRequestTxn(), maxTxnOps);
            default -> throw EtcdError.KEY_NOT_FOUND.exception();
        }
    }

    private static void require(boolean ok, EtcdError error) {
        if (!ok) {
            throw new EtcdException(error);
        }
    }

    /** Keys put and ranges deleted by one list of operations, as etcd's checkIntervals collects them. */
    private static final class Branch {
        private final Set<ByteString> puts = new HashSet<>();
        private final List<ByteString[]> dels = new ArrayList<>();

        Branch check(List<RequestOp> ops) {
            for (RequestOp op : ops) {
                if (op.hasRequestDeleteRange()) {
                    DeleteRangeRequest d = op.getRequestDeleteRange();
                    ByteString end = d.getRangeEnd().isEmpty() ? d.getKey().concat(ByteString.copyFrom(new byte[1]))
                            : d.getRangeEnd();
                    dels.add(new ByteString[] {d.getKey(), end});
                }
            }
            for (RequestOp op : ops) {
                if (op.hasRequestTxn()) {
                    Branch then = new Branch().check(op.getRequestTxn().getSuccessList());
                    Branch otherwise = new Branch().check(op.getRequestTxn().getFailureList());
                    for (ByteString k : then.puts) {
                        require(!puts.contains(k) && !deleted(k), EtcdError.DUPLICATE_KEY);
                        puts.add(k);
                    }
                    for (ByteString k : otherwise.puts) {
                        require(!(puts.contains(k) && !then.puts.contains(k)) && !deleted(k), EtcdError.DUPLICATE_KEY);
                        puts.add(k);
                    }
                    dels.addAll(then.dels);
                    dels.addAll(otherwise.dels);
                }
            }
            for (RequestOp op : ops) {
                if (op.hasRequestPut()) {
                    ByteString k = op.getRequestPut().getKey();
                    require(!puts.contains(k) && !deleted(k), EtcdError.DUPLICATE_KEY);
                    puts.add(k);
                }
            }
            return this;
        }

        private boolean deleted(ByteString key) {
            for (ByteString[] d : dels) {
                if (BYTES.compare(d[0], key) <= 0 && BYTES.compare(key, d[1]) < 0) {
                    return true;
                }
            }
            return false;
        }
    }
}
