package io.keel.storage.mvcc;

/**
 * A store revision: {@code main} is the revision of the write transaction, {@code sub} the
 * position of the change inside it. Ordered by main, then sub. Immutable and thread-safe.
 */
public record Revision(long main, long sub) implements Comparable<Revision> {

    public Revision {
        assert main >= 0 && sub >= 0 : "revision parts are non-negative: " + main + "_" + sub;
    }

    @Override
    public int compareTo(Revision other) {
        int byMain = Long.compare(main, other.main);
        return byMain != 0 ? byMain : Long.compare(sub, other.sub);
    }

    public boolean greaterThan(Revision other) {
        return compareTo(other) > 0;
    }

    @Override
    public String toString() {
        return main + "_" + sub;
    }
}
