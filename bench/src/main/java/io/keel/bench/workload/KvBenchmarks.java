package io.keel.bench.workload;

import com.google.protobuf.ByteString;
import io.keel.api.etcdserverpb.PutRequest;
import io.keel.api.etcdserverpb.RangeRequest;
import io.keel.api.etcdserverpb.RequestOp;
import io.keel.api.etcdserverpb.TxnRequest;
import io.keel.bench.cli.BenchArgs;
import io.keel.bench.client.Connections;
import io.keel.bench.report.Summary;
import io.keel.bench.report.TextReport;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The KV subcommands, with etcd benchmark's flags and defaults: {@code put}, {@code range} and
 * {@code txn-put}. Each runs a {@link ClosedLoop} and reports it. Stateless.
 */
public final class KvBenchmarks {
    private static final long SEED = 0x6b65656cL; // fixed: every run sends the same keys and values

    private KvBenchmarks() {
    }

    public static int put(BenchArgs a, RunSettings s) throws InterruptedException {
        int keySize = a.integer("key-size", 8);
        int valSize = a.integer("val-size", 8);
        int total = a.integer("total", 10000);
        int keySpace = a.integer("key-space-size", 1);
        boolean sequential = a.bool("sequential-keys");
        a.rejectUnknown();
        if (keySpace <= 0) {
            throw new IllegalArgumentException("expected positive --key-space-size, got (" + keySpace + ")");
        }
        ByteString value = ByteString.copyFrom(Keys.randomBytes(valSize, SEED));
        SplittableRandom random = new SplittableRandom(SEED);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key_size", String.valueOf(keySize));
        fields.put("val_size", String.valueOf(valSize));
        fields.put("total", String.valueOf(total));
        fields.put("key_space_size", String.valueOf(keySpace));
        fields.put("sequential_keys", String.valueOf(sequential));
        return runClosed("put", s, total, fields, (conn, seq) -> conn.kv.put(PutRequest.newBuilder()
                .setKey(Keys.key(keySize, Keys.keyNumber(seq, keySpace, sequential, random)))
                .setValue(value).build()));
    }

    public static int range(BenchArgs a, RunSettings s) throws InterruptedException {
        int total = a.integer("total", 10000);
        String consistency = a.string("consistency", "l");
        boolean prefix = a.bool("prefix");
        int limit = a.integer("limit", 0);
        a.rejectUnknown();
        if (a.positional().isEmpty() || a.positional().size() > 2) {
            throw new IllegalArgumentException("usage: range key [end-range] [--prefix] [--consistency l|s]");
        }
        if (!consistency.equals("l") && !consistency.equals("s")) {
            throw new IllegalArgumentException("--consistency must be l (linearizable) or s (serializable)");
        }
        ByteString key = ByteString.copyFrom(a.positional().get(0), StandardCharsets.UTF_8);
        RangeRequest.Builder b = RangeRequest.newBuilder().setKey(key)
                .setSerializable(consistency.equals("s")).setLimit(limit);
        if (a.positional().size() == 2) {
            b.setRangeEnd(ByteString.copyFrom(a.positional().get(1), StandardCharsets.UTF_8));
        } else if (prefix) {
            b.setRangeEnd(Keys.prefixEnd(key));
        }
        RangeRequest request = b.build();
        s.out().println("bench with " + (consistency.equals("l") ? "linearizable" : "serializable") + " range");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("total", String.valueOf(total));
        fields.put("consistency", TextReport.quote(consistency));
        fields.put("key", TextReport.quote(a.positional().get(0)));
        fields.put("prefix", String.valueOf(prefix));
        return runClosed("range", s, total, fields, (conn, seq) -> conn.kv.range(request));
    }

    public static int txnPut(BenchArgs a, RunSettings s) throws InterruptedException {
        int keySize = a.integer("key-size", 8);
        int valSize = a.integer("val-size", 8);
        int total = a.integer("total", 10000);
        int keySpace = a.integer("key-space-size", 1);
        int opsPerTxn = a.integer("txn-ops", 1);
        a.rejectUnknown();
        if (keySpace <= 0 || opsPerTxn > keySpace) {
            throw new IllegalArgumentException("expected positive --key-space-size no smaller than --txn-ops");
        }
        ByteString value = ByteString.copyFrom(Keys.randomBytes(valSize, SEED));
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key_size", String.valueOf(keySize));
        fields.put("val_size", String.valueOf(valSize));
        fields.put("total", String.valueOf(total));
        fields.put("txn_ops", String.valueOf(opsPerTxn));
        return runClosed("txn-put", s, total, fields, (conn, seq) -> {
            TxnRequest.Builder txn = TxnRequest.newBuilder();
            for (int j = 0; j < opsPerTxn; j++) {
                long n = (seq * opsPerTxn + j) % keySpace;
                txn.addSuccess(RequestOp.newBuilder().setRequestPut(
                        PutRequest.newBuilder().setKey(Keys.key(keySize, n)).setValue(value)));
            }
            return conn.kv.txn(txn.build());
        });
    }

    static int runClosed(String name, RunSettings s, long total, Map<String, String> fields, ClosedLoop.Op op)
            throws InterruptedException {
        try (Connections conns = s.open()) {
            ClosedLoop loop = new ClosedLoop(conns, s.clients(), total, op, seq -> { });
            long start = System.nanoTime();
            boolean complete = loop.start().await(s.timeout());
            long elapsed = System.nanoTime() - start;
            return s.report(Summary.of(name, loop.recorder(), elapsed), complete, fields);
        }
    }
}
