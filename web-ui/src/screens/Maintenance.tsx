import { useState } from 'react';
import { api, bytes, Cluster } from '../api';
import { usePoll } from '../usePoll';

interface DefragResult {
  id: string;
  name: string;
  dbSizeBefore?: number;
  dbSizeAfter?: number;
  dbSizeInUseBefore?: number;
  dbSizeInUseAfter?: number;
  error?: string;
}

export function Maintenance() {
  const { data, error, refresh } = usePoll(() => api<Cluster>('GET', 'cluster'), 2000);
  const [rev, setRev] = useState('');
  const [keep, setKeep] = useState('');
  const [msg, setMsg] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [results, setResults] = useState<DefragResult[]>([]);
  const local = data?.members.find((m) => m.local);

  const run = async (what: () => Promise<void>) => {
    setBusy(true);
    setMsg(undefined);
    try {
      await what();
    } catch (e) {
      setMsg((e as Error).message);
    } finally {
      setBusy(false);
      refresh();
    }
  };
  const compact = (body: Record<string, number>) =>
    run(async () => {
      const r = await api('POST', 'compact', body);
      setMsg(`compacted to revision ${r.compactedTo}`);
    });
  const defrag = (memberId?: string) =>
    run(async () => {
      const r = await api('POST', 'defragment', memberId ? { memberId } : {});
      setResults(r.results);
      setMsg('defragment finished');
    });

  return (
    <section>
      <h2>Compaction and defragment</h2>
      {error && <p className="error">{error}</p>}
      <div className="cards">
        <div className="card"><div className="label">Current revision</div><div data-test="current-revision">{local?.revision ?? '—'}</div></div>
        <div className="card"><div className="label">Compacted revision</div><div data-test="compact-revision">{local?.compactRevision ?? '—'}</div></div>
      </div>
      <h3>Compact</h3>
      <div className="form">
        <input data-test="compact-to" placeholder="revision" value={rev} onChange={(e) => setRev(e.target.value)} />
        <button data-test="compact" disabled={busy || !rev} onClick={() => compact({ revision: Number(rev) })}>Compact to revision</button>
        <input data-test="compact-keep" placeholder="keep last N revisions" value={keep} onChange={(e) => setKeep(e.target.value)} />
        <button data-test="compact-keep-submit" disabled={busy || !keep} onClick={() => compact({ keepLast: Number(keep) })}>Compact, keep last N</button>
      </div>
      <h3>Defragment</h3>
      <p>Members are defragmented one at a time; a member answers slowly while it defragments.</p>
      <table>
        <thead><tr><th>Member</th><th>DB size</th><th>In use</th><th></th></tr></thead>
        <tbody>
          {data?.members.map((m) => (
            <tr key={m.id} data-test="defrag-row" data-member-name={m.name || m.id}>
              <td>{m.name || m.id}</td>
              <td data-test="db-size">{bytes(m.dbSize)}</td>
              <td>{bytes(m.dbSizeInUse)}</td>
              <td><button data-test="defrag-member" disabled={busy || !m.name} onClick={() => defrag(m.id)}>Defragment</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <button data-test="defrag-all" disabled={busy} onClick={() => defrag()}>Defragment all members</button>
      {busy && <span> working…</span>}
      {msg && <p data-test="maintenance-message">{msg}</p>}
      {results.length > 0 && (
        <table data-test="defrag-results">
          <thead><tr><th>Member</th><th>Size before</th><th>Size after</th><th>In use before</th><th>In use after</th></tr></thead>
          <tbody>
            {results.map((r) => (
              <tr key={r.id} data-test="defrag-result" data-member-name={r.name}>
                <td>{r.name || r.id}</td>
                <td data-test="size-before" data-bytes={r.dbSizeBefore}>{bytes(r.dbSizeBefore)}</td>
                <td data-test="size-after" data-bytes={r.dbSizeAfter}>{r.error ? r.error : bytes(r.dbSizeAfter)}</td>
                <td>{bytes(r.dbSizeInUseBefore)}</td>
                <td>{bytes(r.dbSizeInUseAfter)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
