package io.keel.backend.e2e;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.keel.api.etcdserverpb.WatchCreateRequest;
import io.keel.api.etcdserverpb.WatchRequest;
import io.keel.api.etcdserverpb.WatchResponse;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One Watch stream opened with grpc-java, without the retries etcd's and jetcd's watch clients add
 * (both silently re-open a stream refused with UNAVAILABLE): what the member answers first, a
 * response or the status the stream was closed with.
 */
public final class RawWatch {
    /** The first thing a member answered: exactly one of the two is set. */
    record First(WatchResponse response, Status status) {
    }

    /** etcd's Watch method for grpc-java clients in tests (no generated grpc-java stubs here). */
    public static final MethodDescriptor<WatchRequest, WatchResponse> WATCH =
            MethodDescriptor.<WatchRequest, WatchResponse>newBuilder()
                    .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
                    .setFullMethodName("etcdserverpb.Watch/Watch")
                    .setRequestMarshaller(ProtoUtils.marshaller(WatchRequest.getDefaultInstance()))
                    .setResponseMarshaller(ProtoUtils.marshaller(WatchResponse.getDefaultInstance()))
                    .build();

    private RawWatch() {
    }

    /** Opens a stream to {@code clientUrl}, asks to watch {@code key}, returns the first answer. */
    static First first(String clientUrl, String key) throws Exception {
        URI uri = URI.create(clientUrl);
        ManagedChannel channel = NettyChannelBuilder.forAddress(uri.getHost(), uri.getPort()).usePlaintext().build();
        try {
            CompletableFuture<First> first = new CompletableFuture<>();
            ClientCall<WatchRequest, WatchResponse> call = channel.newCall(WATCH, CallOptions.DEFAULT);
            call.start(new ClientCall.Listener<>() {
                @Override
                public void onMessage(WatchResponse message) {
                    first.complete(new First(message, null));
                }

                @Override
                public void onClose(Status status, Metadata trailers) {
                    first.complete(new First(null, status));
                }
            }, new Metadata());
            call.request(1);
            call.sendMessage(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8(key))).build());
            First answer = first.get(60, TimeUnit.SECONDS);
            call.cancel("done", null);
            return answer;
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
