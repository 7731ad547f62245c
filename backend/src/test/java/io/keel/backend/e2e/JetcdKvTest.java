package io.keel.backend.e2e;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.DeleteResponse;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * jetcd (Maven Central's etcd client for Java) against a real single-member Keel: KV put, get
 * with the etcd 3.5 range options etcdctl 3.4 lacks (count only, revision bounds), txn, delete and
 * compaction, with etcd's errors.
 */
class JetcdKvTest {
    @TempDir
    static Path dir;
    private static KeelProcess member;
    private static Client client;
    private static KV kv;

    @BeforeAll
    static void start() throws Exception {
        Etcdctl.requireInstalled();
        member = new KeelProcess("j1", dir.resolve("j1"), FreePorts.next(), FreePorts.next());
        member.start("j1=" + member.peerUrl(), "new");
        Members.awaitWritable(member.clientUrl());
        client = Client.builder().endpoints(member.clientUrl()).build();
        kv = client.getKVClient();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (client != null) {
            client.close();
        }
        if (member != null) {
            member.close();
        }
    }

    @Test
    void putReturnsThePreviousValueAndGetSeesTheNewOne() throws Exception {
        await(kv.put(bs("jp/k"), bs("v1")));
        PutResponse second = await(kv.put(bs("jp/k"), bs("v2"), PutOption.builder().withPrevKV().build()));

        assertThat(second.hasPrevKv()).isTrue();
        assertThat(text(second.getPrevKv().getValue())).isEqualTo("v1");
        GetResponse got = await(kv.get(bs("jp/k")));
        assertThat(got.getKvs()).hasSize(1);
        KeyValue k = got.getKvs().get(0);
        assertThat(text(k.getValue())).isEqualTo("v2");
        assertThat(k.getVersion()).isEqualTo(2);
        assertThat(k.getModRevision()).isEqualTo(second.getHeader().getRevision());
        assertThat(got.getHeader().getRevision()).isGreaterThanOrEqualTo(second.getHeader().getRevision());
    }

    @Test
    void rangeOptionsLimitSortCountAndRevisionBoundsWork() throws Exception {
        long first = 0;
        for (String key : List.of("jr/a", "jr/b", "jr/c", "jr/d")) {
            long rev = await(kv.put(bs(key), bs("v-" + key))).getHeader().getRevision();
            first = first == 0 ? rev : first;
        }
        GetOption prefix = GetOption.builder().isPrefix(true).withLimit(2)
                .withSortField(GetOption.SortTarget.KEY).withSortOrder(GetOption.SortOrder.DESCEND).build();
        GetResponse page = await(kv.get(bs("jr/"), prefix));
        assertThat(page.getKvs()).extracting(kv -> text(kv.getKey())).containsExactly("jr/d", "jr/c");
        assertThat(page.isMore()).isTrue();
        assertThat(page.getCount()).isEqualTo(4);

        GetResponse counted = await(kv.get(bs("jr/"), GetOption.builder().isPrefix(true).withCountOnly(true).build()));
        assertThat(counted.getKvs()).isEmpty();
        assertThat(counted.getCount()).isEqualTo(4);

        GetResponse bounded = await(kv.get(bs("jr/"), GetOption.builder().isPrefix(true)
                .withMinModRevision(first + 1).withMaxModRevision(first + 2).withKeysOnly(true).build()));
        assertThat(bounded.getKvs()).extracting(kv -> text(kv.getKey())).containsExactly("jr/b", "jr/c");
        assertThat(bounded.getKvs()).allSatisfy(kv -> assertThat(kv.getValue().isEmpty()).isTrue());

        GetResponse past = await(kv.get(bs("jr/"), GetOption.builder().isPrefix(true).withRevision(first).build()));
        assertThat(past.getKvs()).extracting(kv -> text(kv.getKey())).containsExactly("jr/a");
    }

    @Test
    void txnTakesTheBranchItsComparesChoose() throws Exception {
        long rev = await(kv.put(bs("jt/k"), bs("1"))).getHeader().getRevision();

        TxnResponse hit = await(kv.txn()
                .If(new Cmp(bs("jt/k"), Cmp.Op.EQUAL, CmpTarget.value(bs("1"))),
                        new Cmp(bs("jt/k"), Cmp.Op.EQUAL, CmpTarget.modRevision(rev)),
                        new Cmp(bs("jt/k"), Cmp.Op.LESS, CmpTarget.version(2)))
                .Then(Op.put(bs("jt/k"), bs("2"), PutOption.DEFAULT), Op.put(bs("jt/other"), bs("x"), PutOption.DEFAULT))
                .Else(Op.get(bs("jt/k"), GetOption.DEFAULT))
                .commit());
        assertThat(hit.isSucceeded()).isTrue();
        assertThat(hit.getPutResponses()).hasSize(2);

        TxnResponse miss = await(kv.txn()
                .If(new Cmp(bs("jt/k"), Cmp.Op.GREATER, CmpTarget.createRevision(rev)))
                .Then(Op.put(bs("jt/k"), bs("never"), PutOption.DEFAULT))
                .Else(Op.get(bs("jt/k"), GetOption.DEFAULT))
                .commit());
        assertThat(miss.isSucceeded()).isFalse();
        assertThat(text(miss.getGetResponses().get(0).getKvs().get(0).getValue())).isEqualTo("2");

        CompletableFuture<TxnResponse> duplicate = kv.txn()
                .Then(Op.put(bs("jt/d"), bs("1"), PutOption.DEFAULT), Op.put(bs("jt/d"), bs("2"), PutOption.DEFAULT))
                .commit();
        assertThatThrownBy(() -> duplicate.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasStackTraceContaining("etcdserver: duplicate key given in txn request");
    }

    @Test
    void deleteRangeReturnsThePreviousPairs() throws Exception {
        for (String key : List.of("jd/a", "jd/b", "jd/c")) {
            await(kv.put(bs(key), bs("v")));
        }
        DeleteResponse deleted = await(kv.delete(bs("jd/"), DeleteOption.builder().isPrefix(true).withPrevKV(true).build()));

        assertThat(deleted.getDeleted()).isEqualTo(3);
        assertThat(deleted.getPrevKvs()).extracting(kv -> text(kv.getKey())).containsExactly("jd/a", "jd/b", "jd/c");
        assertThat(await(kv.get(bs("jd/"), GetOption.builder().isPrefix(true).build())).getCount()).isZero();
    }

    @Test
    void compactionMakesOldRevisionsFailWithEtcdsError() throws Exception {
        long old = await(kv.put(bs("jc/k"), bs("old"))).getHeader().getRevision();
        long now = await(kv.put(bs("jc/k"), bs("new"))).getHeader().getRevision();

        await(kv.compact(now, CompactOption.builder().withCompactPhysical(true).build()));

        CompletableFuture<GetResponse> stale = kv.get(bs("jc/k"), GetOption.builder().withRevision(old).build());
        assertThatThrownBy(() -> stale.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasStackTraceContaining("etcdserver: mvcc: required revision has been compacted");
        assertThat(text(await(kv.get(bs("jc/k"))).getKvs().get(0).getValue())).isEqualTo("new");
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    private static ByteSequence bs(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private static String text(ByteSequence b) {
        return b.toString(StandardCharsets.UTF_8);
    }
}
