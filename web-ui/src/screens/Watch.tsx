import { useEffect, useRef, useState } from 'react';

interface WatchEvent {
  seq: number;
  type: 'PUT' | 'DELETE';
  key: string;
  value: string;
  valueSize: number;
  revision: number;
  version: number;
}

// Older events are dropped past this, so a busy prefix cannot grow the page without bound.
const MAX_EVENTS = 500;

// Live tail of a prefix: the member's /api/watch (Server-Sent Events, one watcher on its watch
// hub); closing the EventSource cancels the watcher on the server.
export function Watch() {
  const [prefix, setPrefix] = useState('');
  const [startRevision, setStartRevision] = useState('');
  const [events, setEvents] = useState<WatchEvent[]>([]);
  const [status, setStatus] = useState('stopped');
  const source = useRef<EventSource | null>(null);
  const seq = useRef(0);

  const stop = (why = 'stopped') => {
    source.current?.close();
    source.current = null;
    setStatus(why);
  };
  useEffect(() => () => source.current?.close(), []);

  const start = () => {
    stop();
    setEvents([]);
    const q = new URLSearchParams({ prefix });
    if (startRevision) q.set('startRevision', startRevision);
    const es = new EventSource(`/api/watch?${q}`);
    source.current = es;
    setStatus('connecting');
    es.addEventListener('created', (e) => {
      const d = JSON.parse((e as MessageEvent).data);
      setStatus(`watching "${prefix}" from revision ${startRevision || d.revision + 1}`);
    });
    es.addEventListener('canceled', (e) => {
      const d = JSON.parse((e as MessageEvent).data);
      stop(d.compactRevision ? `canceled: revision ${startRevision} is compacted (oldest is ${d.compactRevision})`
        : `canceled: ${d.reason || 'by the server'}`);
    });
    es.onmessage = (e) => {
      const ev = { ...JSON.parse(e.data), seq: seq.current++ } as WatchEvent;
      setEvents((old) => [ev, ...old].slice(0, MAX_EVENTS));
    };
    es.onerror = () => {
      if (es.readyState === EventSource.CLOSED) stop('disconnected');
      else setStatus('reconnecting…');
    };
  };

  return (
    <section>
      <h2>Watch</h2>
      <div className="form">
        <input data-test="watch-prefix" placeholder="key prefix (empty: every key)" value={prefix}
          onChange={(e) => setPrefix(e.target.value)} />
        <input data-test="watch-start-revision" placeholder="start revision (empty: now)" value={startRevision}
          onChange={(e) => setStartRevision(e.target.value)} />
        <button data-test="watch-start" onClick={start}>{source.current ? 'Restart' : 'Start'}</button>
        <button data-test="watch-stop" disabled={!source.current} onClick={() => stop()}>Stop</button>
        <span data-test="watch-status">{status}</span>
      </div>
      <p className="label">Newest first; the last {MAX_EVENTS} events are kept.</p>
      <table data-test="watch-events">
        <thead><tr><th>Type</th><th>Key</th><th>Value</th><th>Revision</th><th>Version</th></tr></thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.seq} data-test="watch-event" data-key={e.key} data-type={e.type}>
              <td><span className={`role ${e.type === 'DELETE' ? 'alarm' : ''}`}>{e.type}</span></td>
              <td className="mono">{e.key}</td>
              <td className="mono" data-test="watch-value">
                {e.type === 'DELETE' ? '' : e.value}
                {e.valueSize > 200 && <span className="tag">{e.valueSize} bytes</span>}
              </td>
              <td>{e.revision}</td>
              <td>{e.version}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
