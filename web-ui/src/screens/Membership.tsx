import { useState } from 'react';
import { api, Cluster, MemberRow } from '../api';
import { usePoll } from '../usePoll';
import { useConfirm } from './Confirm';

// Whether each learner may be promoted, asked of the server's dry run (the real call's checks).
async function promoteReadiness(c: Cluster): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  for (const m of c.members.filter((x) => x.isLearner)) {
    try {
      await api('POST', `members/${m.id}/promote`, { dryRun: true });
      out[m.id] = null;
    } catch (e) {
      out[m.id] = (e as Error).message;
    }
  }
  return out;
}

export function Membership() {
  const [result, setResult] = useState<string | undefined>();
  const [command, setCommand] = useState<string | undefined>();
  const { data, error, refresh } = usePoll(async () => {
    const c = await api<Cluster>('GET', 'cluster');
    return { cluster: c, ready: await promoteReadiness(c) };
  }, 2000);
  const { start, panel } = useConfirm((r) => {
    setResult(r.summary);
    if (r.command) setCommand(r.command);
    refresh();
  });
  const [form, setForm] = useState({ name: '', peerURL: '', clientURL: '', learner: true });
  const set = (k: string, v: string | boolean) => setForm({ ...form, [k]: v });

  const actions = (m: MemberRow) => {
    const reason = data?.ready[m.id];
    return (
      <>
        {m.isLearner && (
          <>
            <button data-test="promote" disabled={reason !== null}
              onClick={() => start({ label: `Promote ${m.name || m.id}`, path: `members/${m.id}/promote`, body: {} })}>
              Promote
            </button>
            {reason && <span className="reason" data-test="promote-reason">{reason}</span>}
          </>
        )}
        {!m.isLearner && m.role !== 'leader' && (
          <button data-test="move-leader"
            onClick={() => start({ label: `Move leadership to ${m.name || m.id}`, path: `members/${m.id}/move-leader`, body: {} })}>
            Make leader
          </button>
        )}
        <button data-test="remove" className="danger"
          onClick={() => start({ label: `Remove ${m.name || m.id}`, path: `members/${m.id}/remove`, body: {} })}>
          Remove
        </button>
      </>
    );
  };

  return (
    <section>
      <h2>Membership</h2>
      {error && <p className="error">{error}</p>}
      <table>
        <thead><tr><th>Name</th><th>ID</th><th>Role</th><th>Health</th><th>Lag</th><th>Actions</th></tr></thead>
        <tbody>
          {data?.cluster.members.map((m) => (
            <tr key={m.id} data-test="membership-row" data-member-name={m.name || m.id} data-member-id={m.id}>
              <td>{m.name || <i>not started</i>}</td>
              <td className="mono">{m.id}</td>
              <td data-test="member-role"><span className={`role ${m.role}`}>{m.role}</span></td>
              <td data-test="member-health">{m.healthy ? 'healthy' : 'unhealthy'}</td>
              <td>{m.lag ?? '—'}</td>
              <td className="actions">{actions(m)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {panel}
      {result && <p className="ok" data-test="action-result">{result}</p>}
      {command && (
        <div>
          <p>Start the new member with:</p>
          <pre data-test="start-command">{command}</pre>
        </div>
      )}
      <h3>Add a member</h3>
      <div className="form">
        <input data-test="add-name" placeholder="name" value={form.name} onChange={(e) => set('name', e.target.value)} />
        <input data-test="add-peer-url" placeholder="peer URL, e.g. http://127.0.0.1:32380" value={form.peerURL}
          onChange={(e) => set('peerURL', e.target.value)} />
        <input data-test="add-client-url" placeholder="client URL, e.g. http://127.0.0.1:32379" value={form.clientURL}
          onChange={(e) => set('clientURL', e.target.value)} />
        <label>
          <input type="checkbox" data-test="add-learner" checked={form.learner} onChange={(e) => set('learner', e.target.checked)} />
          as a learner (recommended: it catches up before it can vote)
        </label>
        <button data-test="add-member"
          onClick={() => start({ label: `Add ${form.name}`, path: 'members', body: { ...form } })}>
          Add…
        </button>
      </div>
    </section>
  );
}
