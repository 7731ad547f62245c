// Just enough of the Prometheus text format for the metrics screen: samples by metric name, and
// the quantile of a histogram's bucket deltas (as PromQL's histogram_quantile interpolates).
export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export type Samples = Map<string, Sample[]>;

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parse(text: string): Samples {
  const out: Samples = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[3] ?? '').matchAll(LABEL)) labels[l[1]] = l[2];
    const value = m[4] === '+Inf' ? Infinity : m[4] === '-Inf' ? -Infinity : Number(m[4]);
    const list = out.get(m[1]) ?? [];
    list.push({ labels, value });
    out.set(m[1], list);
  }
  return out;
}

/** The sum of every series of a metric (undefined when the member does not export it). */
export function total(s: Samples, name: string): number | undefined {
  const list = s.get(name);
  return list === undefined ? undefined : list.reduce((a, x) => a + x.value, 0);
}

/** Cumulative bucket counts by upper bound, summed over series, sorted by bound. */
export function buckets(s: Samples, histogram: string): [number, number][] {
  const byLe = new Map<number, number>();
  for (const x of s.get(`${histogram}_bucket`) ?? []) {
    const le = x.labels.le === '+Inf' ? Infinity : Number(x.labels.le);
    byLe.set(le, (byLe.get(le) ?? 0) + x.value);
  }
  return [...byLe.entries()].sort((a, b) => a[0] - b[0]);
}

/**
 * The q-quantile of the observations made between two scrapes (bucket deltas), interpolated
 * linearly inside its bucket; undefined when nothing was observed in between.
 */
export function quantileBetween(q: number, before: [number, number][], after: [number, number][]): number | undefined {
  const prev = new Map(before);
  const delta = after.map(([le, c]) => [le, c - (prev.get(le) ?? 0)] as [number, number]);
  const count = delta.length ? delta[delta.length - 1][1] : 0;
  if (count <= 0) return undefined;
  const rank = q * count;
  let lower = 0;
  let below = 0;
  for (const [le, c] of delta) {
    if (c >= rank) {
      if (le === Infinity) return lower; // past the highest bound: its lower edge, as Prometheus
      return lower + (le - lower) * ((rank - below) / Math.max(1e-12, c - below));
    }
    lower = le;
    below = c;
  }
  return lower;
}
