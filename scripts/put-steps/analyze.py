#!/usr/bin/env python3
"""Joins the step times that the members of a Keel cluster built with instrument.patch wrote at exit
(PREFIX.<pid>, one file per member) and prints, over the last COUNT requests the proposing member
answered, the distribution of each step of a put in microseconds, for all requests and for the
slowest 2 %, then how LMDB commits (on any member) met the leader's log barrier and apply thread.

The slowest 2 % are the slowest by "server" (by "request" when the gRPC times are missing).

With CLIENT_PREFIX (the load tool's "start end" files, CLIENT_PREFIX.*), each request is also
matched to the client's call around it: the time from the client's send to the handler, and from
the written answer back to the client.

usage: analyze.py PREFIX COUNT [CLIENT_PREFIX]
"""
import bisect
import glob
import statistics
import sys

COLUMNS = ("index iter pStart pEnd cIter committed aStart answered id "
           "elFlush elRecv ackFlush ackRecv").split()

# (name, what it spans) in the order a put passes them; a follower step uses the follower that
# answered the leader first.
STEPS = [
    ("client", "the load tool's send -> its answer (its latency)"),
    ("to handler", "client send -> the leader's gRPC handler starts"),
    ("server", "gRPC handler start -> answer written (the proposing member's event loop)"),
    ("gRPC in", "handler start -> propose called"),
    ("request", "proposer: propose called -> answer (the window below)"),
    ("to raft", "propose called -> the leader's Raft thread takes it"),
    ("L send", "Raft thread -> leader event loop wrote the append"),
    ("wire ->F", "leader event loop -> follower event loop decoded it"),
    ("F to raft", "follower event loop -> follower Raft thread"),
    ("F barrier", "follower log write + barrier"),
    ("F ack", "follower barrier done -> its event loop wrote the answer"),
    ("wire ->L", "follower event loop -> leader event loop decoded the answer"),
    ("L ack wait", "leader event loop -> Raft thread iteration that commits"),
    ("L barrier", "leader log write + barrier (overlaps the round trip)"),
    ("commit", "commit iteration start -> committed entries handed over"),
    ("to apply", "handed over -> apply thread starts the batch"),
    ("apply", "apply -> answered"),
    ("gRPC out", "answered -> answer written on the event loop"),
    ("to client", "answer written -> the client has it"),
]


def load(path):
    entries, requests, commits, calls = {}, {}, [], []
    with open(path) as f:
        for line in f:
            p = line.split()
            if p[0] == "E" and p[1] != "index":
                v = list(map(int, p[1:]))
                entries[v[0]] = dict(zip(COLUMNS, v))
            elif p[0] == "R":
                requests[int(p[1])] = (int(p[2]), int(p[3]))
            elif p[0] == "C":
                commits.append((int(p[1]), int(p[2])))
            elif p[0] == "G":
                calls.append((int(p[1]), int(p[2])))
    return entries, requests, commits, sorted(calls)


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def main():
    prefix, count = sys.argv[1], int(sys.argv[2])
    members = {f: load(f) for f in sorted(glob.glob(prefix + ".*"))}
    if not members:
        sys.exit("no step files at " + prefix + ".*")
    leader = max(members, key=lambda f: len(members[f][1]))
    entries, requests, _, calls = members[leader]
    call_starts = [c[0] for c in calls]
    sent = sorted(tuple(map(int, line.split())) for f in glob.glob(sys.argv[3] + ".*") for line in open(f)) \
        if len(sys.argv) > 3 else []
    sent_starts = [c[0] for c in sent]
    followers = [members[f][0] for f in members if f != leader]
    wanted = set(sorted(i for i, r in requests.items() if r[1])[-count:])
    rows = []
    for i, e in entries.items():
        if e["id"] not in wanted:
            continue
        start, end = requests[e["id"]]
        row = {"request": end - start, "to raft": e["iter"] - start, "L barrier": e["pEnd"] - e["pStart"],
               "commit": e["committed"] - e["cIter"], "to apply": e["aStart"] - e["committed"],
               "apply": e["answered"] - e["aStart"]}
        k = bisect.bisect_right(call_starts, start) - 1
        if k >= 0 and calls[k][1] >= end:
            call = calls[k]
            row.update({"server": call[1] - call[0], "gRPC in": start - call[0], "gRPC out": call[1] - end})
            j = bisect.bisect_right(sent_starts, call[0]) - 1
            if j >= 0 and sent[j][1] >= call[1]:
                row.update({"client": sent[j][1] - sent[j][0], "to handler": call[0] - sent[j][0],
                            "to client": sent[j][1] - call[1]})
        acked = [f[i] for f in followers if i in f and f[i]["ackFlush"] and f[i]["elRecv"]]
        if acked and e["elFlush"] and e["ackRecv"]:
            f = min(acked, key=lambda x: x["ackFlush"])
            row.update({"L send": e["elFlush"] - e["iter"], "wire ->F": f["elRecv"] - e["elFlush"],
                        "F to raft": f["iter"] - f["elRecv"], "F barrier": f["pEnd"] - f["pStart"],
                        "F ack": f["ackFlush"] - f["pEnd"], "wire ->L": e["ackRecv"] - f["ackFlush"],
                        "L ack wait": e["cIter"] - e["ackRecv"]})
        rows.append(row)
    if not rows:
        sys.exit("no answered requests in the step files")
    rows.sort(key=lambda r: r.get("server", r["request"]))
    slow = rows[-max(1, len(rows) // 50):]
    print("%d requests answered by %s (%d member(s)); microseconds" % (len(rows), leader, len(members)))
    print("%-11s %7s %7s %7s %7s | %13s  %s" % ("step", "p50", "p90", "p99", "mean", "slowest 2 %", "span"))
    for name, span in STEPS:
        xs = [r[name] / 1e3 for r in rows if name in r]
        if not xs:
            continue
        ys = [r[name] / 1e3 for r in slow if name in r] or [0]
        print("%-11s %7.0f %7.0f %7.0f %7.0f | %13.0f  %s" % (name, pct(xs, .5), pct(xs, .9), pct(xs, .99),
                                                            statistics.mean(xs), statistics.mean(ys), span))
    window = (min(requests[i][0] for i in wanted), max(requests[i][1] for i in wanted))
    commits = sorted((s, t) for m in members.values() for s, t in m[2] if window[0] <= s <= window[1])
    own = [(s, t) for s, t in members[leader][2] if window[0] <= s <= window[1]]
    if not commits:
        return
    starts = [c[0] for c in commits]

    def overlapped(a, b):
        k = bisect.bisect_right(starts, b)
        return any(commits[j][1] >= a for j in range(max(0, k - 8), k))

    print("LMDB commits in the window: %d over the members, mean %.0f us" %
          (len(commits), statistics.mean((t - s) / 1e3 for s, t in commits)))
    for title, pick, pred in (
            ("leader barrier", lambda e: (e["pStart"], e["pEnd"]), lambda e: overlapped(e["pStart"], e["pEnd"])),
            ("to apply", lambda e: (e["committed"], e["aStart"]),
             lambda e: any(s <= e["committed"] <= t for s, t in own))):
        hit, miss = [], []
        for e in entries.values():
            if e["id"] in wanted and e["aStart"] and e["pEnd"]:
                a, b = pick(e)
                (hit if pred(e) else miss).append((b - a) / 1e3)
        for label, xs in (("while an LMDB commit ran", hit), ("otherwise", miss)):
            if xs:
                print("  %-14s %-25s n=%5d p50 %6.0f p90 %6.0f p99 %6.0f" %
                      (title, label, len(xs), pct(xs, .5), pct(xs, .9), pct(xs, .99)))


if __name__ == "__main__":
    main()
