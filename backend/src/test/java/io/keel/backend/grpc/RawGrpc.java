package io.keel.backend.grpc;

import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import com.google.common.util.concurrent.ListenableFuture;

/**
 * A grpc-java client (not Vert.x, not ours) that calls any unary method by its full name with
 * Keel's generated messages: an independent check of what goes over the wire.
 */
final class RawGrpc implements AutoCloseable {
    private final ManagedChannel channel;

    RawGrpc(int port) {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    <Req extends Message, Resp extends Message> Resp call(String fullMethodName, Req request, Resp responseType) {
        return ClientCalls.blockingUnaryCall(channel, method(fullMethodName, request, responseType), CallOptions.DEFAULT,
                request);
    }

    <Req extends Message, Resp extends Message> ListenableFuture<Resp> callAsync(String fullMethodName, Req request,
                                                                                  Resp responseType) {
        return ClientCalls.futureUnaryCall(channel.newCall(method(fullMethodName, request, responseType),
                CallOptions.DEFAULT), request);
    }

    @SuppressWarnings("unchecked")
    private static <Req extends Message, Resp extends Message> MethodDescriptor<Req, Resp> method(
            String fullMethodName, Req request, Resp responseType) {
        return MethodDescriptor.<Req, Resp>newBuilder().setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(fullMethodName)
                .setRequestMarshaller(ProtoUtils.marshaller((Req) request.getDefaultInstanceForType()))
                .setResponseMarshaller(ProtoUtils.marshaller(responseType)).build();
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
