package io.keel.server.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EtcdErrorTableTest {
    /** Go's codes.X spelling to ours. */
    private static final Map<String, GrpcCode> GO_CODES = Map.ofEntries(
            Map.entry("Canceled", GrpcCode.CANCELLED),
            Map.entry("InvalidArgument", GrpcCode.INVALID_ARGUMENT),
            Map.entry("DeadlineExceeded", GrpcCode.DEADLINE_EXCEEDED),
            Map.entry("NotFound", GrpcCode.NOT_FOUND),
            Map.entry("PermissionDenied", GrpcCode.PERMISSION_DENIED),
            Map.entry("ResourceExhausted", GrpcCode.RESOURCE_EXHAUSTED),
            Map.entry("FailedPrecondition", GrpcCode.FAILED_PRECONDITION),
            Map.entry("OutOfRange", GrpcCode.OUT_OF_RANGE),
            Map.entry("Unavailable", GrpcCode.UNAVAILABLE),
            Map.entry("DataLoss", GrpcCode.DATA_LOSS),
            Map.entry("Unauthenticated", GrpcCode.UNAUTHENTICATED));

    private static Set<ErrorStatus> etcdTable() throws IOException {
        try (var in = new BufferedReader(new InputStreamReader(
                Objects.requireNonNull(EtcdErrorTableTest.class.getResourceAsStream("/etcd-3.5-grpc-errors.tsv")),
                StandardCharsets.UTF_8))) {
            return in.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> {
                String[] f = l.split("\t", 2);
                return new ErrorStatus(Objects.requireNonNull(GO_CODES.get(f[0]), f[0]), f[1]);
            }).collect(Collectors.toSet());
        }
    }

    @Test
    void everyEtcdErrorIsInTheTableWithEtcdsCodeAndExactText() throws IOException {
        Set<ErrorStatus> ours = Arrays.stream(EtcdError.values()).map(ErrorMapping::of).collect(Collectors.toSet());
        assertThat(ours).containsExactlyInAnyOrderElementsOf(etcdTable());
    }

    @Test
    void noTwoEntriesShareAMessage() {
        Set<String> seen = new HashSet<>();
        for (EtcdError e : EtcdError.values()) {
            assertThat(seen.add(e.message())).as(e.name()).isTrue();
        }
    }

    @Test
    void theErrorsClientsMatchOnCarryEtcdsCodes() {
        assertThat(ErrorMapping.of(EtcdError.COMPACTED))
                .isEqualTo(new ErrorStatus(GrpcCode.OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted"));
        assertThat(ErrorMapping.of(EtcdError.TOO_MANY_REQUESTS))
                .isEqualTo(new ErrorStatus(GrpcCode.RESOURCE_EXHAUSTED, "etcdserver: too many requests"));
        assertThat(ErrorMapping.of(EtcdError.NO_LEADER))
                .isEqualTo(new ErrorStatus(GrpcCode.UNAVAILABLE, "etcdserver: no leader"));
        assertThat(ErrorMapping.of(EtcdError.LEARNER_NOT_READY).code()).isEqualTo(GrpcCode.FAILED_PRECONDITION);
        assertThat(ErrorMapping.of(EtcdError.LEASE_NOT_FOUND).code()).isEqualTo(GrpcCode.NOT_FOUND);
        assertThat(GrpcCode.UNIMPLEMENTED.number()).isEqualTo(12);
        assertThat(GrpcCode.RESOURCE_EXHAUSTED.number()).isEqualTo(8);
    }

    @Test
    void wrappedExpectedErrorsMapToTheirEntry() {
        Throwable wrapped = new CompletionException(EtcdError.FUTURE_REV.exception());
        assertThat(ErrorMapping.toStatus(wrapped)).isEqualTo(ErrorMapping.of(EtcdError.FUTURE_REV));
    }

    @Test
    void callerCancellationMapsToEtcdsCanceledStatus() {
        assertThat(ErrorMapping.toStatus(new CancellationException()))
                .isEqualTo(new ErrorStatus(GrpcCode.CANCELLED, "etcdserver: request canceled"));
    }

    @Test
    void unexpectedFailuresGoOutAsUnknownWithTheirOwnText() {
        assertThat(ErrorMapping.toStatus(new IllegalStateException("disk on fire")))
                .isEqualTo(new ErrorStatus(GrpcCode.UNKNOWN, "disk on fire"));
    }
}
