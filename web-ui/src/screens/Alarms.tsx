import { useState } from 'react';
import { api, Cluster } from '../api';
import { usePoll } from '../usePoll';

const MEANING: Record<string, string> = {
  NOSPACE:
    'The database reached its quota (--quota-backend-bytes): the cluster refuses writes. Free space with ' +
    'compaction, then defragment every member, then disarm.',
  CORRUPT:
    'A member\'s data differs from its peers (hash mismatch). Replace the member from a healthy snapshot; ' +
    'disarm only once the cause is removed.',
};

export function Alarms() {
  const [msg, setMsg] = useState<string | undefined>();
  const { data, error, refresh } = usePoll(async () => {
    const [a, c] = await Promise.all([api('GET', 'alarms'), api<Cluster>('GET', 'cluster')]);
    return { alarms: a.alarms as { memberId: string; alarm: string }[], cluster: c };
  }, 2000);
  const name = (id: string) => data?.cluster.members.find((m) => m.id === id)?.name || id;
  const disarm = async (memberId: string, alarm: string) => {
    try {
      await api('POST', 'alarms/disarm', { memberId, alarm });
      setMsg(`disarmed ${alarm} on ${name(memberId)}`);
    } catch (e) {
      setMsg((e as Error).message);
    }
    refresh();
  };
  return (
    <section>
      <h2>Alarms</h2>
      {error && <p className="error">{error}</p>}
      {data && data.alarms.length === 0 && <p data-test="no-alarms">No active alarms.</p>}
      {data && data.alarms.length > 0 && (
        <table>
          <thead><tr><th>Member</th><th>Alarm</th><th>What it means and how to clear it</th><th></th></tr></thead>
          <tbody>
            {data.alarms.map((a) => (
              <tr key={a.memberId + a.alarm} data-test="alarm-row" data-alarm={a.alarm}>
                <td>{name(a.memberId)}</td>
                <td data-test="alarm-type"><span className="role alarm">{a.alarm}</span></td>
                <td>{MEANING[a.alarm] ?? ''}</td>
                <td><button data-test="disarm" onClick={() => disarm(a.memberId, a.alarm)}>Disarm</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {msg && <p data-test="alarm-message">{msg}</p>}
    </section>
  );
}
