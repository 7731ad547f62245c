#!/usr/bin/env python3
"""Turns bench-side-by-side.sh's JSON lines into the table in docs/BENCHMARKS.md: per workload
each system's best run by throughput and that run's p99, then (with more than one round) the
medians of the same runs, then the members' CPU per request.

Rewrites only what lies between the side-by-side markers; the rest of the file is prose kept by
hand. Usage: bench-table.py results.jsonl BENCHMARKS.md restart_keys scale rounds load_before
load_after keel_heap [warmups [rest_seconds]]
"""
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys

BEGIN, END = "<!-- side-by-side:begin -->", "<!-- side-by-side:end -->"
ROWS = [
    ("put-1-client", "put, 1 client (leader)"),
    ("put-100-clients", "put, 100 clients / 10 conns (leader)"),
    ("txn-put", "txn-put, 100 clients / 10 conns (leader)"),
    ("range-l-100-clients", "range linearizable, 100 clients / 10 conns"),
    ("range-s-100-clients", "range serializable, 100 clients / 10 conns"),
    ("watch-1000", "watch fan-out, 1,000 watchers (events/s, event latency)"),
]


def main():
    path, doc, restart_keys, scale, rounds, load_before, load_after, heap = sys.argv[1:9]
    warmups = sys.argv[9] if len(sys.argv) > 9 else "1"
    rest_s = sys.argv[10] if len(sys.argv) > 10 else "?"
    runs = [json.loads(line) for line in open(path) if line.strip()]

    def clean(system, row):
        return [r for r in runs if r["system"] == system and r["row"] == row and r.get("bench") != "failed"
                and r.get("errors", 1) == 0 and r.get("complete", True)]

    def best(system, row):
        ok = clean(system, row)
        return max(ok, key=lambda r: r["per_second"]) if ok else None

    def median(system, row):
        """The median req/s and the median p99 of a system's clean runs of a row, each on its own."""
        ok = clean(system, row)
        if not ok:
            return None
        return {"per_second": statistics.median(r["per_second"] for r in ok),
                "latency_ms": {"p99": statistics.median(r["latency_ms"]["p99"] for r in ok)}}

    def cpu_per_request(system, row):
        """The median over a system's clean runs of the members' CPU per request, in µs."""
        ok = [r for r in clean(system, row) if "server_cpu_s" in r and r.get("ok")]
        if not ok:
            return None
        return statistics.median(r["server_cpu_s"] * 1e6 / r["ok"] for r in ok)

    def value(system, row):
        v = [r["value"] for r in runs if r["system"] == system and r["row"] == row]
        return v[-1] if v else None

    def ratio(a, b):
        return "%.2f" % (a / b) if a is not None and b else "n/a"

    lines = [BEGIN, ""]
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mem = int(next(l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal"))) // (1024 * 1024)
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    # The members' JVM, when the caller knows it (bin/keel may pick another than `java`).
    java = os.environ.get("KEEL_MEMBERS_JVM") or java
    etcd = subprocess.run(["etcd", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    lines.append("Run %s UTC by `scripts/bench-side-by-side.sh`%s. Machine: %s, %d cores, %d GiB, %s %s; %s; %s; "
                 "Keel heap `%s`. Load average (1/5/15 min) before: %s, after: %s (the machine is shared)."
                 % (datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M"),
                    "" if scale == "1" else " --quick (request counts / %s)" % scale,
                    cpu, os.cpu_count(), mem, platform.system(), platform.release(), java, etcd, heap,
                    load_before, load_after))
    lines.append("Each workload ran %s time(s) per system, alternating Keel and etcd, after %s unrecorded warm-up "
                 "run(s) on each (the memory row's load came first); fsync on for both; "
                 "both clusters on loopback with their data dirs on the same filesystem." % (rounds, warmups))
    lines.append("")
    def workload_table(pick):
        lines.append("| workload | Keel req/s | etcd req/s | Keel/etcd req/s | Keel p99 ms | etcd p99 ms | Keel/etcd p99 |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|")
        for key, title in ROWS:
            k, e = pick("keel", key), pick("etcd", key)
            fmt = lambda r, f: ("%.0f" % r["per_second"]) if f == "rps" else ("%.1f" % r["latency_ms"]["p99"])
            lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (
                title,
                fmt(k, "rps") if k else "n/a", fmt(e, "rps") if e else "n/a",
                ratio(k and k["per_second"], e and e["per_second"]),
                fmt(k, "p99") if k else "n/a", fmt(e, "p99") if e else "n/a",
                ratio(k and k["latency_ms"]["p99"], e and e["latency_ms"]["p99"])))
        lines.append("")

    workload_table(best)
    if int(rounds) > 1:
        # The best run's p99 swings with which run was fastest (pass 14: put-100's 0.51 then 1.04,
        # 0.91 on medians); the medians of the same runs sit beside it.
        lines.append("The same runs' medians (req/s and p99 each the median of a system's %s runs):" % rounds)
        lines.append("")
        workload_table(median)
    if any("server_cpu_s" in r for r in runs):
        # What a run cost the members, beside what it achieved. On a shared 2-core machine it is no
        # steadier than req/s (1.2-1.7x between one system's runs of a row in pass 15), so a
        # ratio near 1 says "level", not "ahead".
        lines.append("Server CPU per request: the three members' user + system CPU during a run over its requests "
                     "(per delivered event for the watch row; the load tool's own CPU not counted), "
                     "median of a system's runs, in µs:")
        lines.append("")
        lines.append("| workload | Keel µs | etcd µs | Keel/etcd |")
        lines.append("|---|---:|---:|---:|")
        for key, title in ROWS:
            k, e = cpu_per_request("keel", key), cpu_per_request("etcd", key)
            lines.append("| %s | %s | %s | %s |" % (title, "n/a" if k is None else "%.1f" % k,
                                                   "n/a" if e is None else "%.1f" % e, ratio(k, e)))
        lines.append("")
    lines.append("| resource | Keel | etcd | Keel/etcd |")
    lines.append("|---|---:|---:|---:|")
    kr, er = value("keel", "rss-per-100k-mib"), value("etcd", "rss-per-100k-mib")
    lines.append("| RSS growth per 100,000 keys of 256 B (MiB, mean of 3 members) | %s | %s | %s |"
                 % (kr, er, ratio(kr, er)))
    ka, ea = value("keel", "rss-mib"), value("etcd", "rss-mib")
    lines.append("| RSS after loading them (MiB, mean of 3 members) | %s | %s | %s |" % (ka, ea, ratio(ka, ea)))
    kz, ez = value("keel", "rss-rest-mib"), value("etcd", "rss-rest-mib")
    if kz is not None or ez is not None:
        lines.append("| RSS at rest, %s s after loading them (MiB, mean of 3 members) | %s | %s | %s |"
                     % (rest_s, kz, ez, ratio(kz, ez)))
    ks, es = value("keel", "restart-to-ready-s"), value("etcd", "restart-to-ready-s")
    n = max(int(restart_keys), 100000 // int(scale))
    lines.append("| restart-to-ready with %s keys of 256 B, plus the put rows' keys (s, all 3 restarted, "
                 "until a put succeeds) | %s | %s | %s |" % ("{:,}".format(n), ks, es, ratio(ks, es)))
    failed = sorted({(r["system"], r["row"]) for r in runs if r.get("bench") == "failed" or r.get("errors", 0) > 0
                     or r.get("complete") is False})
    if failed:
        lines.append("")
        lines.append("Runs with errors or incomplete (n/a above): " + ", ".join("%s %s" % f for f in failed) + ".")
    lines += ["", END]

    text = open(doc).read() if os.path.exists(doc) else "# Benchmarks\n\n" + BEGIN + "\n" + END + "\n"
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    open(doc, "w").write(head + "\n".join(lines) + tail)


if __name__ == "__main__":
    main()
