package io.keel.server.corrupt;

import io.keel.api.etcdserverpb.HashKVResponse;
import io.keel.server.membership.MemberIds;
import io.keel.storage.mvcc.HashKvResult;
import io.keel.storage.mvcc.MvccStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd 3.5's corruption checks ({@code --experimental-initial-corrupt-check},
 * {@code --experimental-corrupt-check-time}). The initial check compares this member's HashKV
 * with every peer's at the same revision before the member serves: a different hash with the same
 * compact revision stops the member. The periodic check runs on the leader only: it takes its own
 * HashKV, the peers' at that revision, and its own again; a follower ahead of the leader (in
 * revision or compact revision), or a follower with the leader's compact revision but another
 * hash, raises the CORRUPT alarm through Raft, for member 0 as etcd 3.5 does (which member is
 * corrupt is not known). Peers that cannot answer are skipped, as in etcd.
 *
 * <p>Stateless between checks; each check blocks its calling thread (a checker thread, never an
 * event loop) for at most the request timeout per peer round. Thread-safe.
 */
public final class CorruptionChecker {
    private static final Logger LOG = LoggerFactory.getLogger(CorruptionChecker.class);

    private final long memberId;
    private final MvccStore store;
    private final PeerHashSource peers;
    private final BooleanSupplier isLeader;
    private final LongConsumer raiseCorruptAlarm;
    private final long timeoutMillis;

    /**
     * @param raiseCorruptAlarm proposes an ACTIVATE of the CORRUPT alarm for the given member id
     */
    public CorruptionChecker(long memberId, MvccStore store, PeerHashSource peers, BooleanSupplier isLeader,
                             LongConsumer raiseCorruptAlarm, long timeoutMillis) {
        this.memberId = memberId;
        this.store = store;
        this.peers = peers;
        this.isLeader = isLeader;
        this.raiseCorruptAlarm = raiseCorruptAlarm;
        this.timeoutMillis = timeoutMillis;
    }

    /** Throws if a peer holds other data at this member's revision with the same compact revision. */
    public void initialCheck() throws DataInconsistencyException {
        LOG.atInfo().addKeyValue("local-member-id", MemberIds.toHex(memberId))
                .log("starting initial corruption check");
        HashKvResult local = store.hashKv(0);
        int mismatch = 0;
        int checked = 0;
        for (PeerHash p : fetch(local.currentRevision())) {
            HashKVResponse r = p.response();
            if (r == null) {
                LOG.atWarn().addKeyValue("remote-peer-id", MemberIds.toHex(p.memberId()))
                        .addKeyValue("error", String.valueOf(p.error())).log("cannot fetch hash from remote peer");
                continue;
            }
            checked++;
            if (local.hash() != r.getHash()) {
                boolean sameCompaction = local.compactRevision() == r.getCompactRevision();
                LOG.atWarn().addKeyValue("local-member-revision", local.currentRevision())
                        .addKeyValue("local-member-compact-revision", local.compactRevision())
                        .addKeyValue("local-member-hash", Integer.toUnsignedLong(local.hash()))
                        .addKeyValue("remote-peer-id", MemberIds.toHex(p.memberId()))
                        .addKeyValue("remote-peer-revision", r.getHeader().getRevision())
                        .addKeyValue("remote-peer-compact-revision", r.getCompactRevision())
                        .addKeyValue("remote-peer-hash", Integer.toUnsignedLong(r.getHash()))
                        .log(sameCompaction ? "found different hash values from remote peer"
                                : "found different compact revision values from remote peer");
                if (sameCompaction) {
                    mismatch++;
                }
            }
        }
        if (mismatch > 0) {
            throw new DataInconsistencyException(MemberIds.toHex(memberId) + " found data inconsistency with peers");
        }
        LOG.atInfo().addKeyValue("local-member-id", MemberIds.toHex(memberId))
                .addKeyValue("number-of-peers-checked", checked)
                .log("initial corruption checking passed; no corruption");
    }

    /** One periodic pass; does nothing unless this member leads. Returns true if it raised the alarm. */
    public boolean periodicCheck() {
        if (!isLeader.getAsBoolean()) {
            return false;
        }
        HashKvResult h = store.hashKv(0);
        List<PeerHash> answers = fetch(h.currentRevision());
        HashKvResult h2 = store.hashKv(0);
        boolean mismatch = false;
        if (h2.hash() != h.hash() && h2.currentRevision() == h.currentRevision()
                && h.compactRevision() == h2.compactRevision()) {
            LOG.atWarn().addKeyValue("revision-1", h.currentRevision()).addKeyValue("revision-2", h2.currentRevision())
                    .log("found hash mismatch");
            mismatch = true;
        }
        int checked = 0;
        for (PeerHash p : answers) {
            HashKVResponse r = p.response();
            if (r == null) {
                continue;
            }
            checked++;
            String peer = MemberIds.toHex(p.memberId());
            if (r.getHeader().getRevision() > h2.currentRevision()) {
                LOG.atWarn().addKeyValue("leader-revision", h2.currentRevision())
                        .addKeyValue("follower-revision", r.getHeader().getRevision())
                        .addKeyValue("follower-peer-id", peer)
                        .log("revision from follower must be less than or equal to leader's");
                mismatch = true;
            }
            if (r.getCompactRevision() > h2.compactRevision()) {
                LOG.atWarn().addKeyValue("leader-compact-revision", h2.compactRevision())
                        .addKeyValue("follower-compact-revision", r.getCompactRevision())
                        .addKeyValue("follower-peer-id", peer)
                        .log("compact revision from follower must be less than or equal to leader's");
                mismatch = true;
            }
            if (r.getCompactRevision() == h.compactRevision() && r.getHash() != h.hash()) {
                LOG.atWarn().addKeyValue("leader-compact-revision", h.compactRevision())
                        .addKeyValue("leader-hash", Integer.toUnsignedLong(h.hash()))
                        .addKeyValue("follower-compact-revision", r.getCompactRevision())
                        .addKeyValue("follower-hash", Integer.toUnsignedLong(r.getHash()))
                        .addKeyValue("follower-peer-id", peer)
                        .log("same compact revision then hashes must match");
                mismatch = true;
            }
        }
        if (mismatch) {
            raiseCorruptAlarm.accept(0);
        }
        LOG.atInfo().addKeyValue("number-of-peers-checked", checked).log("finished peer corruption check");
        return mismatch;
    }

    private List<PeerHash> fetch(long revision) {
        try {
            return peers.hashesAt(revision).toCompletableFuture().get(2 * timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } catch (Exception e) {
            LOG.atWarn().addKeyValue("error", e.toString()).log("failed to fetch peer hashes");
            return List.of();
        }
    }
}
