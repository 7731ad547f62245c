package io.keel.backend.e2e;

import io.keel.backend.e2e.WatchRecord.Ev;
import io.keel.backend.e2e.WatchRecord.Resp;
import io.keel.backend.e2e.WatchRecord.Write;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Validates recorded watch streams against the writes the writers attempted and the ones that
 * were acknowledged: etcd's ordered, unique, atomic, reliable, resumable and bookmarkable
 * guarantees, plus prev_kv and IsCreate. Every violation is collected, none stops the check.
 * Test thread only.
 */
final class WatchStreamChecker {
    final List<String> violations = new ArrayList<>();
    /** The one timeline every watcher must agree with: revision -> events, from the truth watcher. */
    private final TreeMap<Long, List<Ev>> truth = new TreeMap<>();

    /**
     * Builds the timeline from {@code full} (a prefix watcher from revision 1 over every written
     * key) after checking it holds every acknowledged write and only writes that were attempted.
     */
    void establishTruth(CheckedWatcher full, List<Write> writes) {
        Map<String, Ev> byId = new LinkedHashMap<>();
        for (Resp r : full.log) {
            for (Ev e : r.events()) {
                byId.putIfAbsent(e.id(), e);
            }
        }
        for (Ev e : byId.values()) {
            truth.computeIfAbsent(e.rev(), k -> new ArrayList<>()).add(e);
        }
        Set<String> attempted = new HashSet<>();
        for (Write w : writes) {
            attempted.add(w.key() + "=" + w.value());
            if (w.acked()) {
                List<Ev> at = truth.getOrDefault(w.rev(), List.of());
                boolean seen = at.stream().anyMatch(e -> e.key().equals(w.key()) && e.put() == !w.isDelete()
                        && (w.isDelete() || e.value().equals(w.value())));
                if (!seen) {
                    violations.add("reliable: acknowledged " + w + " never reached " + full.name);
                }
            }
        }
        for (Ev e : byId.values()) {
            if (!attempted.contains(e.key() + "=" + e.value())) {
                violations.add("reliable: " + full.name + " got " + e + " that nobody wrote");
            }
        }
    }

    /** Checks one watcher's responses against the timeline. */
    void check(CheckedWatcher w) {
        String n = w.name + ": ";
        long resumeFrom = w.startRev; // jetcd's own bookkeeping of where it would resume
        long sessionStart = w.startRev;
        Set<String> seenBefore = new HashSet<>();
        Set<String> seenInSession = new HashSet<>();
        long lastRevInSession = 0;
        long lastProgress = 0;
        Map<Long, Integer> responseOfRev = new HashMap<>();
        Map<String, Ev> all = new LinkedHashMap<>();
        long covered = 0;
        int index = 0;
        for (Resp r : w.log) {
            index++;
            if (r.created()) {
                // jetcd (re)subscribes from the revision it had recorded, then raises its record to
                // the created header: the session starts at the former.
                sessionStart = index == 1 ? (w.startRev > 0 ? w.startRev : r.headerRev() + 1) : resumeFrom;
                resumeFrom = Math.max(resumeFrom, r.headerRev());
                seenBefore.addAll(seenInSession);
                seenInSession.clear();
                lastRevInSession = 0;
                lastProgress = 0;
                continue;
            }
            if (r.progress()) {
                if (r.headerRev() < lastRevInSession) {
                    violations.add(n + "bookmarkable: progress at " + r.headerRev() + " after an event at "
                            + lastRevInSession);
                }
                lastProgress = Math.max(lastProgress, r.headerRev());
                covered = Math.max(covered, r.headerRev());
                resumeFrom = r.headerRev();
                continue;
            }
            long prevInResp = 0;
            for (Ev e : r.events()) {
                if (e.rev() < prevInResp || e.rev() < lastRevInSession
                        || (e.rev() == lastRevInSession && prevInResp == 0)) {
                    violations.add(n + "ordered/atomic: " + e + " after revision " + lastRevInSession);
                }
                if (e.rev() <= lastProgress) {
                    violations.add(n + "bookmarkable: " + e + " after a progress notification at " + lastProgress);
                }
                if (e.rev() < sessionStart) {
                    violations.add(n + "resumable: " + e + " in a watch (re)started at " + sessionStart);
                }
                if (!seenInSession.add(e.id()) || (seenBefore.contains(e.id()) && e.rev() != sessionStart)) {
                    violations.add(n + "unique: " + e + " delivered twice");
                }
                if (!w.inRange(e.key())) {
                    violations.add(n + "range: " + e + " is outside the watched range");
                }
                Integer resp = responseOfRev.putIfAbsent(e.rev(), index);
                if (resp != null && resp != index && e.rev() != sessionStart) {
                    violations.add(n + "atomic: revision " + e.rev() + " split over responses " + resp + " and "
                            + index);
                }
                all.putIfAbsent(e.id(), e);
                prevInResp = e.rev();
                covered = Math.max(covered, e.rev());
            }
            if (!r.events().isEmpty()) {
                lastRevInSession = r.events().get(r.events().size() - 1).rev();
                resumeFrom = lastRevInSession + 1;
            }
        }
        checkAgainstTruth(w, n, all, covered);
    }

    private void checkAgainstTruth(CheckedWatcher w, String n, Map<String, Ev> got, long covered) {
        long from = w.startRev > 0 ? w.startRev : firstCreatedHeader(w) + 1;
        for (List<Ev> evs : truth.subMap(from, true, covered, true).values()) {
            for (Ev t : evs) {
                if (w.inRange(t.key()) && !got.containsKey(t.id())) {
                    violations.add(n + "reliable: missed " + t + " (saw up to " + covered + ")");
                }
            }
        }
        for (Ev e : got.values()) {
            Ev t = truth.getOrDefault(e.rev(), List.of()).stream().filter(x -> x.key().equals(e.key())).findFirst()
                    .orElse(null);
            if (t == null) {
                violations.add(n + "reliable: " + e + " is not in the timeline");
                continue;
            }
            if (t.put() != e.put() || (e.put() && (!t.value().equals(e.value()) || t.createRev() != e.createRev()
                    || t.version() != e.version()))) {
                violations.add(n + "reliable: " + e + " differs from the timeline's " + t);
            }
            checkPrevAndCreate(w, n, e);
        }
    }

    private void checkPrevAndCreate(CheckedWatcher w, String n, Ev e) {
        Ev before = null;
        for (List<Ev> evs : truth.headMap(e.rev(), false).descendingMap().values()) {
            before = evs.stream().filter(x -> x.key().equals(e.key())).findFirst().orElse(null);
            if (before != null) {
                break;
            }
        }
        boolean knownHistory = truth.isEmpty() || truth.firstKey() <= 2;
        if (!knownHistory) {
            return;
        }
        boolean live = before != null && before.put();
        if (e.put()) {
            boolean isCreate = e.createRev() == e.rev();
            if (isCreate == live || (isCreate && e.version() != 1)) {
                violations.add(n + "IsCreate: " + e + " after " + before);
            }
        }
        if (w.prevKv) {
            String expected = live ? before.value() : null;
            if (!java.util.Objects.equals(expected, e.prev())) {
                violations.add(n + "prev_kv: " + e + " should carry " + expected);
            }
        }
    }

    private static long firstCreatedHeader(CheckedWatcher w) {
        return w.log.stream().filter(Resp::created).mapToLong(Resp::headerRev).findFirst().orElse(0);
    }
}
