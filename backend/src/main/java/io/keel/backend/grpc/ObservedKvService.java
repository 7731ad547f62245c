package io.keel.backend.grpc;

import com.google.protobuf.Descriptors;
import io.keel.api.etcdserverpb.KVGrpcService;
import io.keel.server.observe.Observability;
import io.keel.tracing.steps.Field;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.Service;

/**
 * The etcd KV service bound with request observation ({@link ObservedUnary}): the generated
 * binding only hands a method its request message, while tracing needs the call's metadata and
 * must carry the span into the back end.
 *
 * <p>Owner: {@link EtcdGrpcServer}. Thread-safety: stateless; handlers run on event loops.
 */
final class ObservedKvService implements Service {
    private final KvRpcs rpcs;
    private final ObservedUnary observed;

    ObservedKvService(KvRpcs rpcs, Observability observability) {
        this.rpcs = rpcs;
        this.observed = new ObservedUnary(observability);
    }

    @Override
    public ServiceName name() {
        return KVGrpcService.SERVICE_NAME;
    }

    @Override
    public Descriptors.ServiceDescriptor descriptor() {
        return KVGrpcService.SERVICE_DESCRIPTOR;
    }

    @Override
    public void bind(GrpcServer server) {
        // Detail fields as etcd's traceutil records them for each method.
        server.callHandler(KVGrpcService.Range, observed.handler(KVGrpcService.Range, "range",
                r -> new Field[] {Field.of("range_begin", r.getKey().toStringUtf8()),
                        Field.of("range_end", r.getRangeEnd().toStringUtf8())}, rpcs::range));
        server.callHandler(KVGrpcService.Put, observed.handler(KVGrpcService.Put, "put",
                r -> new Field[] {Field.of("key", r.getKey().toStringUtf8()), Field.of("req_size", r.getSerializedSize())},
                rpcs::put));
        server.callHandler(KVGrpcService.DeleteRange, observed.handler(KVGrpcService.DeleteRange, "delete_range",
                r -> new Field[] {Field.of("key", r.getKey().toStringUtf8()),
                        Field.of("range_end", r.getRangeEnd().toStringUtf8())}, rpcs::deleteRange));
        server.callHandler(KVGrpcService.Txn, observed.handler(KVGrpcService.Txn, "transaction",
                r -> new Field[] {Field.of("req_size", r.getSerializedSize())}, rpcs::txn));
        server.callHandler(KVGrpcService.Compact, observed.handler(KVGrpcService.Compact, "compact",
                r -> new Field[] {Field.of("revision", r.getRevision())}, (r, t) -> rpcs.compact(r)));
    }
}
