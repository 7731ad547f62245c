import { useEffect, useRef, useState } from 'react';
import { bytes } from '../api';
import { buckets, parse, quantileBetween, Samples, total } from '../prometheus';

interface Point {
  at: number;
  proposalsPerSec?: number;
  fsyncP99Ms?: number;
  dbSize?: number;
  leaderChanges?: number;
}

const POLL_MS = 3000;
const KEEP = 60;

function point(prev: { at: number; s: Samples } | undefined, at: number, s: Samples): Point {
  const p: Point = { at, dbSize: total(s, 'etcd_mvcc_db_total_size_in_bytes'),
    leaderChanges: total(s, 'etcd_server_leader_changes_seen_total') };
  if (prev) {
    const seconds = (at - prev.at) / 1000;
    const now = total(s, 'etcd_server_proposals_committed_total');
    const then = total(prev.s, 'etcd_server_proposals_committed_total');
    if (now !== undefined && then !== undefined && seconds > 0) p.proposalsPerSec = Math.max(0, now - then) / seconds;
    const p99 = quantileBetween(0.99, buckets(prev.s, 'etcd_disk_wal_fsync_duration_seconds'),
      buckets(s, 'etcd_disk_wal_fsync_duration_seconds'));
    if (p99 !== undefined) p.fsyncP99Ms = p99 * 1000;
  }
  return p;
}

function Chart({ id, title, points, value, format }: {
  id: string; title: string; points: Point[]; value: (p: Point) => number | undefined; format: (v: number) => string;
}) {
  const w = 320;
  const h = 80;
  const vals = points.map(value);
  const defined = vals.filter((v): v is number => v !== undefined);
  const max = Math.max(1e-9, ...defined);
  const min = Math.min(0, ...defined);
  // The line fills the width from the first scrape on; once KEEP scrapes are in, it scrolls.
  const x = (i: number) => (points.length <= 1 ? 0 : (i / (points.length - 1)) * w);
  const y = (v: number) => h - 4 - ((v - min) / (max - min || 1)) * (h - 8);
  // Gaps (no fsync in an interval) split the line rather than drawing a false zero.
  const segments: string[] = [];
  let cur: string[] = [];
  vals.forEach((v, i) => {
    if (v === undefined) {
      if (cur.length) segments.push(cur.join(' '));
      cur = [];
    } else cur.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`);
  });
  if (cur.length) segments.push(cur.join(' '));
  const latest = [...vals].reverse().find((v) => v !== undefined);
  return (
    <div className="card chart" data-test="metric-chart" data-metric={id} data-value={latest ?? ''}
      data-points={defined.length}>
      <div className="label">{title}</div>
      <div className="chart-value" data-test="metric-value">{latest === undefined ? '—' : format(latest)}</div>
      <svg width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={title}>
        <line x1={0} y1={h - 4} x2={w} y2={h - 4} className="axis" />
        {segments.map((pts, i) => (pts.includes(' ')
          ? <polyline key={i} points={pts} className="series" />
          : <circle key={i} cx={pts.split(',')[0]} cy={pts.split(',')[1]} r={2} className="dot" />))}
      </svg>
      <div className="label">max {defined.length ? format(max) : '—'}</div>
    </div>
  );
}

// Live charts from this member's own /metrics, scraped every few seconds by the browser; rates and
// the fsync p99 come from the difference between two scrapes.
export function Metrics() {
  const [points, setPoints] = useState<Point[]>([]);
  const [error, setError] = useState<string | undefined>();
  const prev = useRef<{ at: number; s: Samples } | undefined>();
  useEffect(() => {
    let alive = true;
    const scrape = async () => {
      try {
        const res = await fetch('/metrics');
        if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
        const s = parse(await res.text());
        const at = Date.now();
        if (!alive) return;
        const p = point(prev.current, at, s);
        prev.current = { at, s };
        setPoints((old) => [...old, p].slice(-KEEP));
        setError(undefined);
      } catch (e) {
        if (alive) setError((e as Error).message);
      }
    };
    scrape();
    const t = setInterval(scrape, POLL_MS);
    return () => {
      alive = false;
      clearInterval(t);
    };
  }, []);
  return (
    <section>
      <h2>Metrics</h2>
      {error && <p className="error">{error}</p>}
      <p>This member's <a href="/metrics">/metrics</a>, scraped every {POLL_MS / 1000} s; the last {KEEP} scrapes.</p>
      <div className="cards">
        <Chart id="proposals" title="Proposals committed / s" points={points} value={(p) => p.proposalsPerSec}
          format={(v) => v.toFixed(1)} />
        <Chart id="fsync-p99" title="WAL fsync p99 (ms)" points={points} value={(p) => p.fsyncP99Ms}
          format={(v) => v.toFixed(2)} />
        <Chart id="db-size" title="DB size" points={points} value={(p) => p.dbSize} format={(v) => bytes(v)} />
        <Chart id="leader-changes" title="Leader changes seen" points={points} value={(p) => p.leaderChanges}
          format={(v) => String(v)} />
      </div>
    </section>
  );
}
