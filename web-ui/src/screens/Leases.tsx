import { useEffect, useState } from 'react';
import { api } from '../api';
import { usePoll } from '../usePoll';
import { useConfirm } from './Confirm';

interface LeaseRow {
  id: string;
  grantedTTL: number;
  ttl: number;
  keys: string[];
  keyCount: number;
}

interface LeaseList {
  leases: LeaseRow[];
  total: number;
  fetchedAt: number;
}

const POLL_MS = 5000;

// Remaining TTL counted down in the browser between polls, from the leader's answer at fetch time.
function remaining(l: LeaseRow, fetchedAt: number, now: number): number {
  return Math.max(0, l.ttl - Math.floor((now - fetchedAt) / 1000));
}

export function Leases() {
  const { data, error, refresh } = usePoll(async () => {
    const r = await api<LeaseList>('GET', 'leases');
    return { ...r, fetchedAt: Date.now() };
  }, POLL_MS);
  const [now, setNow] = useState(Date.now());
  const [result, setResult] = useState<string | undefined>();
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, []);
  const { start, panel } = useConfirm((r) => {
    setResult(r.summary);
    refresh();
  });
  return (
    <section>
      <h2>Leases</h2>
      {error && <p className="error">{error}</p>}
      <p>
        {data ? `${data.total} lease(s)` : 'Loading…'}
        {data && data.total > data.leases.length && ` (showing the first ${data.leases.length})`}. Remaining TTLs
        come from the leader every {POLL_MS / 1000} s and count down in between.
      </p>
      <table data-test="lease-table">
        <thead><tr><th>Lease ID</th><th>Granted TTL</th><th>Remaining</th><th>Attached keys</th><th></th></tr></thead>
        <tbody>
          {data?.leases.map((l) => {
            const left = remaining(l, data.fetchedAt, now);
            return (
              <tr key={l.id} data-test="lease-row" data-lease-id={l.id}>
                <td className="mono">{l.id}</td>
                <td>{l.grantedTTL} s</td>
                <td data-test="lease-ttl" data-ttl={left}>
                  <progress max={l.grantedTTL} value={left} /> {left} s
                </td>
                <td data-test="lease-keys" className="mono">
                  {l.keys.join(', ') || <i>none</i>}
                  {l.keyCount > l.keys.length && ` … ${l.keyCount} in all`}
                </td>
                <td>
                  <button data-test="revoke" className="danger"
                    onClick={() => start({ label: `Revoke lease ${l.id}`, path: `leases/${l.id}/revoke`, body: {} })}>
                    Revoke
                  </button>
                </td>
              </tr>
            );
          })}
          {data && data.leases.length === 0 && <tr><td colSpan={5} data-test="no-leases">No leases.</td></tr>}
        </tbody>
      </table>
      {panel}
      {result && <p className="ok" data-test="action-result">{result}</p>}
    </section>
  );
}
