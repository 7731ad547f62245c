package io.keel.backend.grpc;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.keel.api.etcdserverpb.Compare;
import io.keel.api.etcdserverpb.DeleteRangeRequest;
import io.keel.api.etcdserverpb.PutRequest;
import io.keel.api.etcdserverpb.RequestOp;
import io.keel.api.etcdserverpb.TxnRequest;
import io.keel.server.errors.EtcdException;
import org.junit.jupiter.api.Test;

class KvRequestChecksTest {
    private static RequestOp put(String k) {
        return RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(k))).build();
    }

    private static RequestOp del(String k, String end) {
        return RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8(k)).setRangeEnd(ByteString.copyFromUtf8(end))).build();
    }

    private static RequestOp txn(TxnRequest t) {
        return RequestOp.newBuilder().setRequestTxn(t).build();
    }

    private static void assertRefused(TxnRequest t, String message) {
        assertThatThrownBy(() -> KvRequestChecks.checkTxn(t, 128)).isInstanceOf(EtcdException.class).hasMessage(message);
    }

    @Test
    void theSameKeyPutTwiceInOneBranchIsADuplicate() {
        assertRefused(TxnRequest.newBuilder().addSuccess(put("a")).addSuccess(put("a")).build(),
                "etcdserver: duplicate key given in txn request");
    }

    @Test
    void aPutInsideADeletedRangeIsADuplicate() {
        assertRefused(TxnRequest.newBuilder().addSuccess(del("a", "c")).addSuccess(put("b")).build(),
                "etcdserver: duplicate key given in txn request");
        assertThatCode(() -> KvRequestChecks.checkTxn(
                TxnRequest.newBuilder().addSuccess(del("a", "c")).addSuccess(put("c")).build(), 128))
                .doesNotThrowAnyException();
    }

    @Test
    void successAndFailureBranchesAreIndependent() {
        assertThatCode(() -> KvRequestChecks.checkTxn(
                TxnRequest.newBuilder().addSuccess(put("a")).addFailure(put("a")).build(), 128)).doesNotThrowAnyException();
    }

    @Test
    void aNestedTxnMayPutTheSameKeyInBothOfItsBranchesButNotBesideAnOuterPut() {
        TxnRequest inner = TxnRequest.newBuilder().addSuccess(put("a")).addFailure(put("a")).build();
        assertThatCode(() -> KvRequestChecks.checkTxn(TxnRequest.newBuilder().addSuccess(txn(inner)).build(), 128))
                .doesNotThrowAnyException();
        assertRefused(TxnRequest.newBuilder().addSuccess(txn(inner)).addSuccess(put("a")).build(),
                "etcdserver: duplicate key given in txn request");
    }

    @Test
    void emptyCompareKeyAndTooManyOpsAreRefused() {
        assertRefused(TxnRequest.newBuilder().addCompare(Compare.getDefaultInstance()).build(),
                "etcdserver: key is not provided");
        assertThatThrownBy(() -> KvRequestChecks.checkTxn(
                TxnRequest.newBuilder().addSuccess(put("a")).addSuccess(put("b")).build(), 1))
                .hasMessage("etcdserver: too many operations in txn request");
    }

    @Test
    void ignoreValueWithAValueIsRefused() {
        assertThatThrownBy(() -> KvRequestChecks.checkPut(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k"))
                .setIgnoreValue(true).setValue(ByteString.copyFromUtf8("v")).build()))
                .hasMessage("etcdserver: value is provided");
    }
}
