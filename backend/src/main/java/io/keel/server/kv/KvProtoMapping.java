package io.keel.server.kv;

import com.google.protobuf.ByteString;
import io.keel.api.etcdserverpb.ResponseHeader;
import io.keel.storage.mvcc.Compare;
import io.keel.storage.mvcc.DeleteRangeRequest;
import io.keel.storage.mvcc.DeleteRangeResponse;
import io.keel.storage.mvcc.KeyValue;
import io.keel.storage.mvcc.PutRequest;
import io.keel.storage.mvcc.PutResponse;
import io.keel.storage.mvcc.RangeRequest;
import io.keel.storage.mvcc.RangeResponse;
import io.keel.storage.mvcc.RequestOp;
import io.keel.storage.mvcc.ResponseOp;
import io.keel.storage.mvcc.TxnRequest;
import io.keel.storage.mvcc.TxnResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Translates etcd's protobuf KV messages to the MVCC store's types and back. Stateless;
 * thread-safe. Response headers are filled by the caller's {@code header} function, which gets
 * the revision etcd reports for each (nested responses keep the outer header's, as etcd's do).
 */
public final class KvProtoMapping {
    private KvProtoMapping() {
    }

    public static RangeRequest range(io.keel.api.etcdserverpb.RangeRequest r) {
        return new RangeRequest(r.getKey().toByteArray(), r.getRangeEnd().toByteArray(), r.getLimit(),
                r.getRevision(), RangeRequest.SortOrder.valueOf(r.getSortOrder().name()),
                RangeRequest.SortTarget.valueOf(r.getSortTarget().name()), r.getSerializable(), r.getKeysOnly(),
                r.getCountOnly(), r.getMinModRevision(), r.getMaxModRevision(), r.getMinCreateRevision(),
                r.getMaxCreateRevision());
    }

    public static PutRequest put(io.keel.api.etcdserverpb.PutRequest p) {
        return new PutRequest(p.getKey().toByteArray(), p.getValue().toByteArray(), p.getLease(), p.getPrevKv(),
                p.getIgnoreValue(), p.getIgnoreLease());
    }

    public static DeleteRangeRequest delete(io.keel.api.etcdserverpb.DeleteRangeRequest d) {
        return new DeleteRangeRequest(d.getKey().toByteArray(), d.getRangeEnd().toByteArray(), d.getPrevKv());
    }

    public static TxnRequest txn(io.keel.api.etcdserverpb.TxnRequest t) {
        List<Compare> compares = new ArrayList<>(t.getCompareCount());
        for (io.keel.api.etcdserverpb.Compare c : t.getCompareList()) {
            compares.add(compare(c));
        }
        return new TxnRequest(compares, ops(t.getSuccessList()), ops(t.getFailureList()));
    }

    private static Compare compare(io.keel.api.etcdserverpb.Compare c) {
        Compare.CompareTarget target = Compare.CompareTarget.valueOf(c.getTarget().name());
        long number = switch (c.getTargetUnionCase()) {
            case VERSION -> c.getVersion();
            case CREATE_REVISION -> c.getCreateRevision();
            case MOD_REVISION -> c.getModRevision();
            case LEASE -> c.getLease();
            default -> 0;
        };
        return new Compare(Compare.CompareResult.valueOf(c.getResult().name()), target, c.getKey().toByteArray(),
                c.getRangeEnd().toByteArray(), number, c.getValue().toByteArray());
    }

    private static List<RequestOp> ops(List<io.keel.api.etcdserverpb.RequestOp> ops) {
        List<RequestOp> out = new ArrayList<>(ops.size());
        for (io.keel.api.etcdserverpb.RequestOp op : ops) {
            out.add(switch (op.getRequestCase()) {
                case REQUEST_RANGE -> range(op.getRequestRange());
                case REQUEST_PUT -> put(op.getRequestPut());
                case REQUEST_DELETE_RANGE -> delete(op.getRequestDeleteRange());
                case REQUEST_TXN -> txn(op.getRequestTxn());
                case REQUEST_NOT_SET -> throw new IllegalArgumentException("txn op without a request");
            });
        }
        return out;
    }

    public static io.keel.api.mvccpb.KeyValue keyValue(KeyValue kv) {
        return io.keel.api.mvccpb.KeyValue.newBuilder()
                .setKey(ByteString.copyFrom(kv.key()))
                .setCreateRevision(kv.createRevision())
                .setModRevision(kv.modRevision())
                .setVersion(kv.version())
                .setValue(ByteString.copyFrom(kv.value()))
                .setLease(kv.lease())
                .build();
    }

    public static io.keel.api.etcdserverpb.RangeResponse rangeResponse(RangeResponse r,
                                                                       LongFunction<ResponseHeader> header) {
        var b = io.keel.api.etcdserverpb.RangeResponse.newBuilder()
                .setHeader(header.apply(r.revision()))
                .setMore(r.more())
                .setCount(r.count());
        for (KeyValue kv : r.kvs()) {
            b.addKvs(keyValue(kv));
        }
        return b.build();
    }

    public static io.keel.api.etcdserverpb.PutResponse putResponse(PutResponse r,
                                                                   LongFunction<ResponseHeader> header) {
        var b = io.keel.api.etcdserverpb.PutResponse.newBuilder().setHeader(header.apply(r.revision()));
        if (r.prevKv() != null) {
            b.setPrevKv(keyValue(r.prevKv()));
        }
        return b.build();
    }

    public static io.keel.api.etcdserverpb.DeleteRangeResponse deleteResponse(DeleteRangeResponse r,
                                                                              LongFunction<ResponseHeader> header) {
        var b = io.keel.api.etcdserverpb.DeleteRangeResponse.newBuilder()
                .setHeader(header.apply(r.revision()))
                .setDeleted(r.deleted());
        for (KeyValue kv : r.prevKvs()) {
            b.addPrevKvs(keyValue(kv));
        }
        return b.build();
    }

    public static io.keel.api.etcdserverpb.TxnResponse txnResponse(TxnResponse r,
                                                                   LongFunction<ResponseHeader> header) {
        var b = io.keel.api.etcdserverpb.TxnResponse.newBuilder().setSucceeded(r.succeeded());
        // Only the outer response gets the full header; as in etcd, a nested op's header carries
        // just its revision, and a nested txn (revision 0) has none.
        if (r.revision() != 0 || header != NESTED) {
            b.setHeader(header.apply(r.revision()));
        }
        for (ResponseOp op : r.responses()) {
            var rb = io.keel.api.etcdserverpb.ResponseOp.newBuilder();
            if (op instanceof RangeResponse rr) {
                rb.setResponseRange(rangeResponse(rr, NESTED));
            } else if (op instanceof PutResponse pr) {
                rb.setResponsePut(putResponse(pr, NESTED));
            } else if (op instanceof DeleteRangeResponse dr) {
                rb.setResponseDeleteRange(deleteResponse(dr, NESTED));
            } else if (op instanceof TxnResponse tr) {
                rb.setResponseTxn(txnResponse(tr, NESTED));
            }
            b.addResponses(rb);
        }
        return b.build();
    }

    private static final LongFunction<ResponseHeader> NESTED =
            rev -> ResponseHeader.newBuilder().setRevision(rev).build();
}
