import { useEffect, useState } from 'react';
import { api } from '../api';

interface Entry { key: string; folder: boolean; version?: number; modRevision?: number }
interface Version { modRevision: number; version: number; size: number; encoding: string; value: string }
interface Detail extends Version { key: string; exists: boolean; createRevision: number; lease: string; history: Version[] }

const PAGE_SIZES = [100, 500];

function pretty(v: Version): string {
  if (v.encoding !== 'json') return v.value;
  try {
    return JSON.stringify(JSON.parse(v.value), null, 2);
  } catch {
    return v.value;
  }
}

// A line diff good enough to see what changed between two versions of a value.
function Diff({ older, newer }: { older: string; newer: string }) {
  const a = older.split('\n');
  const b = newer.split('\n');
  const inA = new Set(a);
  const inB = new Set(b);
  return (
    <pre className="diff">
      {a.filter((l) => !inB.has(l)).map((l, i) => <div key={'-' + i} className="del">- {l}</div>)}
      {b.filter((l) => !inA.has(l)).map((l, i) => <div key={'+' + i} className="add">+ {l}</div>)}
    </pre>
  );
}

export function Keys() {
  const [prefix, setPrefix] = useState('');
  const [cursors, setCursors] = useState<string[]>(['']); // cursors[i] starts page i
  const [page, setPage] = useState(0);
  const [entries, setEntries] = useState<Entry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | undefined>();
  const [detail, setDetail] = useState<Detail | undefined>();
  const [newKey, setNewKey] = useState('');
  const [newValue, setNewValue] = useState('');
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [msg, setMsg] = useState<string | undefined>();
  const [reload, setReload] = useState(0);
  const [pageSize, setPageSize] = useState(PAGE_SIZES[0]);

  useEffect(() => {
    const q = new URLSearchParams({ prefix, cursor: cursors[page], limit: String(pageSize) });
    api('GET', 'keys?' + q).then(
      (r) => {
        setEntries(r.entries);
        setNext(r.next);
        setError(undefined);
      },
      (e) => setError(e.message),
    );
  }, [prefix, page, cursors, reload, pageSize]);

  const goTo = (p: string) => {
    setPrefix(p);
    setCursors(['']);
    setPage(0);
  };
  const open = async (key: string) => {
    setConfirmDelete(false);
    setDetail(await api<Detail>('GET', 'key?' + new URLSearchParams({ key })));
  };
  const nextPage = () => {
    if (next === null) return;
    const c = cursors.slice(0, page + 1);
    c.push(next);
    setCursors(c);
    setPage(page + 1);
  };
  const put = async () => {
    try {
      const r = await api('POST', 'key', { key: newKey, value: newValue });
      setMsg(`put ${newKey} at revision ${r.revision}`);
      setReload(reload + 1);
      open(newKey);
    } catch (e) {
      setMsg((e as Error).message);
    }
  };
  const del = async () => {
    if (!detail) return;
    const r = await api('DELETE', 'key?' + new URLSearchParams({ key: detail.key }));
    setMsg(`deleted ${detail.key} at revision ${r.revision}`);
    setDetail(undefined);
    setConfirmDelete(false);
    setReload(reload + 1);
  };

  const crumbs = prefix.split('/').filter((s) => s !== '');
  return (
    <section className="keys">
      <h2>Keys</h2>
      <div className="crumbs" data-test="key-prefix" data-prefix={prefix}>
        <a href="#/keys" onClick={(e) => { e.preventDefault(); goTo(''); }}>(all keys)</a>
        {crumbs.map((c, i) => {
          const p = crumbs.slice(0, i + 1).join('/') + '/';
          return <span key={p}> / <a href="#/keys" onClick={(e) => { e.preventDefault(); goTo(p); }}>{c}</a></span>;
        })}
      </div>
      {error && <p className="error">{error}</p>}
      <div className="split">
        <div className="list">
          <ul data-test="key-list">
            {entries.map((e) => (
              <li key={e.key}>
                {e.folder ? (
                  <a href="#/keys" data-test="folder-entry" data-key={e.key}
                    onClick={(ev) => { ev.preventDefault(); goTo(e.key); }}>📁 {e.key.slice(prefix.length)}</a>
                ) : (
                  <a href="#/keys" data-test="key-entry" data-key={e.key}
                    onClick={(ev) => { ev.preventDefault(); open(e.key); }}>{e.key.slice(prefix.length) || e.key}</a>
                )}
              </li>
            ))}
          </ul>
          <div className="pager">
            <button data-test="prev-page" disabled={page === 0} onClick={() => setPage(page - 1)}>Previous</button>
            <span data-test="page-number">page {page + 1}</span>
            <button data-test="next-page" disabled={next === null} onClick={nextPage}>Next</button>
            <select data-test="page-size" value={pageSize}
              onChange={(e) => { setPageSize(Number(e.target.value)); setCursors(['']); setPage(0); }}>
              {PAGE_SIZES.map((n) => <option key={n} value={n}>{n} per page</option>)}
            </select>
          </div>
        </div>
        <div className="detail">
          {detail && detail.exists && (
            <div data-test="key-detail">
              <h3 className="mono">{detail.key}</h3>
              <div>
                revision {detail.modRevision} (created {detail.createRevision}), version {detail.version},{' '}
                {detail.size} bytes, shown as <span data-test="key-encoding">{detail.encoding}</span>
              </div>
              <pre data-test="key-value">{pretty(detail)}</pre>
              {!confirmDelete && <button data-test="delete-key" className="danger" onClick={() => setConfirmDelete(true)}>Delete…</button>}
              {confirmDelete && (
                <span>
                  Delete {detail.key}? <button data-test="confirm-delete" className="danger" onClick={del}>Delete</button>
                  <button onClick={() => setConfirmDelete(false)}>Cancel</button>
                </span>
              )}
              <h4>History</h4>
              <ul data-test="key-history">
                {detail.history.map((h, i) => (
                  <li key={h.modRevision} data-test="history-entry">
                    revision {h.modRevision} (version {h.version}):
                    <Diff older={pretty(h)} newer={pretty(i === 0 ? detail : detail.history[i - 1])} />
                  </li>
                ))}
                {detail.history.length === 0 && <li>no earlier versions (or compacted)</li>}
              </ul>
            </div>
          )}
          {detail && !detail.exists && <p>{detail.key} does not exist.</p>}
          <h4>Put a key</h4>
          <div className="form">
            <input data-test="put-key" placeholder="key" value={newKey} onChange={(e) => setNewKey(e.target.value)} />
            <textarea data-test="put-value" placeholder="value" value={newValue} onChange={(e) => setNewValue(e.target.value)} />
            <button data-test="put-submit" disabled={!newKey} onClick={put}>Put</button>
          </div>
          {msg && <p data-test="key-message">{msg}</p>}
        </div>
      </div>
    </section>
  );
}
