package io.keel.server.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GrpcFamiliesMessagesTest {
    @Test
    void messagesSumsWhatEveryMethodReceivedAndSent() {
        GrpcFamilies grpc = new GrpcFamilies(new MetricRegistry());
        assertThat(grpc.messages()).isZero();

        GrpcFamilies.MethodCells put = grpc.method("/etcdserverpb.KV/Put");
        GrpcFamilies.MethodCells watch = grpc.method("/etcdserverpb.Watch/Watch");
        put.started();
        put.messageReceived();
        put.messageSent();
        watch.messageReceived();
        watch.messagesSent(100);

        assertThat(grpc.messages()).isEqualTo(1 + 1 + 1 + 100);
    }

    @Test
    void aStartedCallWithoutMessagesIsNotCounted() {
        GrpcFamilies grpc = new GrpcFamilies(new MetricRegistry());
        grpc.method("/etcdserverpb.KV/Range").started();
        grpc.method("/etcdserverpb.KV/Range").handled(0, 1_000);
        assertThat(grpc.messages()).isZero();
    }
}
