package io.keel.storage.mvcc;

import static io.keel.storage.mvcc.TestStores.b;
import static org.assertj.core.api.Assertions.assertThat;

import io.keel.storage.mvcc.RangeRequest.SortOrder;
import io.keel.storage.mvcc.RangeRequest.SortTarget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random but seeded sequences of put, delete, txn, compact, range and restart, applied to the
 * store and to {@link ReferenceModel}; every result and error must be equal. A failure names its
 * seed and step; replay one seed with {@code -Dkeel.mvcc.seed=<seed>}.
 */
class ModelBasedTest {
    private static final String[] KEYS = {"a", "ab", "abc", "b", "ba", "c", "d", "e\u00ff"};
    private static final String[] VALUES = {"", "x", "y", "zz", "x1"};
    private static final int STEPS = 600;

    @TempDir
    Path dir;

    static LongStream seeds() {
        String fixed = System.getProperty("keel.mvcc.seed");
        return fixed != null ? LongStream.of(Long.parseLong(fixed)) : LongStream.rangeClosed(1, 12);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void storeAgreesWithTheReferenceModel(long seed) {
        Random rnd = new Random(seed);
        ReferenceModel model = new ReferenceModel();
        MvccStore store = TestStores.open(dir);
        String step = "open";
        try {
            for (int i = 0; i < STEPS; i++) {
                int dice = rnd.nextInt(100);
                if (dice < 30) {
                    PutRequest p = randomPut(rnd);
                    step = i + ": put " + TestStores.s(p.key());
                    write(store, model, w -> w.put(p), mw -> mw.put(p));
                } else if (dice < 38) {
                    DeleteRangeRequest d = new DeleteRangeRequest(key(rnd), rangeEnd(rnd), rnd.nextBoolean());
                    step = i + ": delete";
                    write(store, model, w -> w.deleteRange(d), mw -> mw.delete(d));
                } else if (dice < 55) {
                    TxnRequest t = randomTxn(rnd, model.revision(), 0);
                    step = i + ": txn " + t;
                    write(store, model, w -> w.txn(t), mw -> mw.txn(t));
                } else if (dice < 59) {
                    long rev = rnd.nextLong(model.revision() + 2);
                    step = i + ": compact " + rev;
                    write(store, model, w -> w.compact(rev), mw -> {
                        mw.compact(rev);
                        return null;
                    });
                } else if (dice < 63) {
                    List<RequestOp> entries = new ArrayList<>();
                    for (int n = rnd.nextInt(4) + 1; n > 0; n--) {
                        entries.add(rnd.nextBoolean() ? PutRequest.of(key(rnd), b(VALUES[rnd.nextInt(VALUES.length)]))
                                : new DeleteRangeRequest(key(rnd), rangeEnd(rnd), false));
                    }
                    step = i + ": group commit of " + entries.size();
                    assertThat(groupCommit(store, entries)).isEqualTo(groupCommit(model, entries));
                } else if (dice < 65) {
                    step = i + ": restart";
                    store.close();
                    store = TestStores.open(dir);
                } else {
                    RangeRequest q = randomRange(rnd, model.revision());
                    step = i + ": range " + q;
                    MvccStore s = store;
                    assertThat(outcome(() -> s.range(q))).isEqualTo(outcome(() -> model.range(q)));
                }
                assertThat(store.revision()).isEqualTo(model.revision());
            }
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("model mismatch, replay with -Dkeel.mvcc.seed=" + seed + " at step " + step, e);
        } finally {
            store.close();
        }
    }

    private interface StoreOp {
        Object apply(MvccWriteTxn w);
    }

    private interface ModelOp {
        Object apply(ReferenceModel.Write w);
    }

    private static void write(MvccStore store, ReferenceModel model, StoreOp op, ModelOp expected) {
        Object actual = outcome(() -> {
            try (MvccWriteTxn w = store.beginWrite()) {
                Object r = op.apply(w);
                w.commit();
                if (r instanceof java.util.concurrent.CompletableFuture<?> f) {
                    f.join();
                    return null;
                }
                return r;
            }
        });
        ReferenceModel.Write mw = model.new Write();
        Object wanted = outcome(() -> {
            try {
                Object r = expected.apply(mw);
                mw.commit();
                return r;
            } catch (RuntimeException e) {
                mw.abort();
                throw e;
            }
        });
        assertThat(actual).isEqualTo(wanted);
    }

    /** Several entries in one LMDB commit; each entry must behave as if committed alone. */
    private static List<Object> groupCommit(MvccStore store, List<RequestOp> entries) {
        List<Object> out = new ArrayList<>();
        try (MvccWriteTxn w = store.beginWrite()) {
            for (RequestOp op : entries) {
                out.add(op instanceof PutRequest p ? w.put(p) : w.deleteRange((DeleteRangeRequest) op));
                out.add(w.finishEntry());
            }
            out.add(w.commit());
        }
        return out;
    }

    private static List<Object> groupCommit(ReferenceModel model, List<RequestOp> entries) {
        List<Object> out = new ArrayList<>();
        for (RequestOp op : entries) {
            ReferenceModel.Write mw = model.new Write();
            out.add(op instanceof PutRequest p ? mw.put(p) : mw.delete((DeleteRangeRequest) op));
            mw.commit();
            out.add(model.revision());
        }
        out.add(model.revision());
        return out;
    }

    /** The result, or the class of the store error, so both sides compare with equals. */
    private static Object outcome(Supplier<Object> s) {
        try {
            return s.get();
        } catch (MvccException e) {
            return e.getClass();
        }
    }

    private static byte[] key(Random rnd) {
        return rnd.nextInt(12) == 0 ? new byte[] {0} : b(KEYS[rnd.nextInt(KEYS.length)]);
    }

    private static byte[] rangeEnd(Random rnd) {
        return switch (rnd.nextInt(5)) {
            case 0, 1 -> null;
            case 2 -> new byte[] {0};
            case 3 -> KeyRange.prefixEnd(b(KEYS[rnd.nextInt(KEYS.length)]));
            default -> b(KEYS[rnd.nextInt(KEYS.length)]);
        };
    }

    private static PutRequest randomPut(Random rnd) {
        boolean ignoreValue = rnd.nextInt(10) == 0;
        boolean ignoreLease = rnd.nextInt(10) == 0;
        return new PutRequest(b(KEYS[rnd.nextInt(KEYS.length)]), b(VALUES[rnd.nextInt(VALUES.length)]),
                rnd.nextInt(4) == 0 ? rnd.nextInt(3) + 1 : 0, rnd.nextBoolean(), ignoreValue, ignoreLease);
    }

    private static RangeRequest randomRange(Random rnd, long currentRev) {
        RangeRequest.Builder q = RangeRequest.builder(key(rnd)).rangeEnd(rangeEnd(rnd));
        if (rnd.nextInt(3) == 0) {
            q.revision(rnd.nextLong(currentRev + 2));
        }
        if (rnd.nextBoolean()) {
            q.limit(rnd.nextInt(4));
        }
        if (rnd.nextBoolean()) {
            q.sort(SortTarget.values()[rnd.nextInt(5)], SortOrder.values()[rnd.nextInt(3)]);
        }
        q.keysOnly(rnd.nextInt(5) == 0).countOnly(rnd.nextInt(8) == 0);
        if (rnd.nextInt(4) == 0) {
            q.minModRevision(rnd.nextLong(currentRev + 1)).maxCreateRevision(rnd.nextLong(currentRev + 1));
        }
        if (rnd.nextInt(4) == 0) {
            q.maxModRevision(rnd.nextLong(currentRev + 1)).minCreateRevision(rnd.nextLong(currentRev + 1));
        }
        return q.build();
    }

    private static TxnRequest randomTxn(Random rnd, long currentRev, int depth) {
        List<Compare> cmps = new ArrayList<>();
        for (int i = rnd.nextInt(3); i > 0; i--) {
            Compare.CompareTarget target = Compare.CompareTarget.values()[rnd.nextInt(5)];
            Compare.CompareResult result = Compare.CompareResult.values()[rnd.nextInt(4)];
            cmps.add(new Compare(result, target, key(rnd), rangeEnd(rnd), rnd.nextLong(currentRev + 2),
                    b(VALUES[rnd.nextInt(VALUES.length)])));
        }
        return new TxnRequest(cmps, randomOps(rnd, currentRev, depth), randomOps(rnd, currentRev, depth));
    }

    private static List<RequestOp> randomOps(Random rnd, long currentRev, int depth) {
        List<RequestOp> ops = new ArrayList<>();
        for (int i = rnd.nextInt(4); i > 0; i--) {
            int kind = rnd.nextInt(depth < 2 ? 10 : 9);
            if (kind < 4) {
                ops.add(randomPut(rnd));
            } else if (kind < 6) {
                ops.add(new DeleteRangeRequest(key(rnd), rangeEnd(rnd), rnd.nextBoolean()));
            } else if (kind < 9) {
                ops.add(randomRange(rnd, currentRev));
            } else {
                ops.add(randomTxn(rnd, currentRev, depth + 1));
            }
        }
        return ops;
    }
}
