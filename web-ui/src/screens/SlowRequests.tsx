import { Fragment, useState } from 'react';
import { api } from '../api';
import { usePoll } from '../usePoll';

interface Slow {
  trace: number;
  operation: string;
  detail: string;
  duration: string;
  duration_ns: number;
  start: string;
  end: string;
  steps: string[];
  trace_id?: string;
}

// The member's recent slow requests (its step traces, as logged), newest first; each trace id
// opens the request's distributed trace in Jaeger (--console-jaeger-url).
export function SlowRequests() {
  const { data, error } = usePoll(async () => {
    const [slow, features] = await Promise.all([
      api<{ slow_requests: Slow[] }>('GET', 'slow-requests'),
      api<{ jaegerUrl: string }>('GET', 'features'),
    ]);
    return { slow: [...slow.slow_requests].reverse(), jaeger: features.jaegerUrl };
  }, 3000);
  const [open, setOpen] = useState<Record<number, boolean>>({});
  return (
    <section>
      <h2>Slow requests</h2>
      {error && <p className="error">{error}</p>}
      <p>
        Requests this member took longer than its slow-request threshold to serve, newest first, with the steps
        they spent their time in. Trace ids link to Jaeger at <span className="mono" data-test="jaeger-url">{data?.jaeger}</span>.
      </p>
      <table data-test="slow-table">
        <thead><tr><th>#</th><th>Operation</th><th>Duration</th><th>Started</th><th>Detail</th><th>Trace</th></tr></thead>
        <tbody>
          {data?.slow.map((s) => (
            <Fragment key={s.trace}>
              <tr data-test="slow-row" data-operation={s.operation}>
                <td className="nowrap">
                  <button data-test="slow-expand" onClick={() => setOpen({ ...open, [s.trace]: !open[s.trace] })}>
                    {open[s.trace] ? '−' : '+'} {s.trace}
                  </button>
                </td>
                <td data-test="slow-operation">{s.operation}</td>
                <td data-test="slow-duration" className="nowrap">{s.duration}</td>
                <td className="mono nowrap">{s.start.replace('T', ' ')}</td>
                <td className="mono">{s.detail}</td>
                <td className="mono">
                  {s.trace_id
                    ? <a data-test="jaeger-link" href={`${data.jaeger}/trace/${s.trace_id}`} target="_blank" rel="noreferrer">{s.trace_id}</a>
                    : <i>not sampled</i>}
                </td>
              </tr>
              {open[s.trace] && (
                <tr key={`${s.trace}-steps`} data-test="slow-steps">
                  <td></td>
                  <td colSpan={5}><pre>{s.steps.join('\n') || 'no steps recorded'}</pre></td>
                </tr>
              )}
            </Fragment>
          ))}
          {data && data.slow.length === 0 && <tr><td colSpan={6} data-test="no-slow">No slow requests.</td></tr>}
        </tbody>
      </table>
    </section>
  );
}
