import { api, bytes, Cluster } from '../api';
import { usePoll } from '../usePoll';

// Leader changes seen while the console is open (kept across screen switches).
const leaderHistory: { at: string; leader: string; term: number }[] = [];

function noteLeader(c: Cluster) {
  const last = leaderHistory[leaderHistory.length - 1];
  if (c.leader && (!last || last.leader !== c.leader)) {
    const name = c.members.find((m) => m.id === c.leader)?.name || c.leader;
    leaderHistory.push({ at: new Date().toLocaleTimeString(), leader: name, term: c.raftTerm });
    if (leaderHistory.length > 50) leaderHistory.shift();
  }
}

export function Overview() {
  const { data, error } = usePoll(async () => {
    const c = await api<Cluster>('GET', 'cluster');
    noteLeader(c);
    return c;
  }, 2000);
  return (
    <section>
      <h2>Cluster overview</h2>
      {error && <p className="error" data-test="overview-error">{error}</p>}
      {data && (
        <>
          <div className="cards">
            <div className="card">
              <div className="label">Cluster</div>
              <div data-test="cluster-id">{data.clusterId}</div>
            </div>
            <div className="card">
              <div className="label">Voting members</div>
              <div data-test="voters">
                {data.healthyVoters} of {data.voters} healthy (quorum {data.quorum})
              </div>
            </div>
            <div className={`card ${data.failureTolerance === 0 ? 'warn' : ''}`}>
              <div className="label">Failure tolerance</div>
              <div data-test="failure-tolerance">can lose {data.failureTolerance} member{data.failureTolerance === 1 ? '' : 's'}</div>
              {data.failureTolerance === 0 && (
                <div data-test="tolerance-warning" className="error">
                  Losing any voting member stops the cluster from accepting writes.
                </div>
              )}
            </div>
          </div>
          <table data-test="members-table">
            <thead>
              <tr>
                <th>Name</th><th>ID</th><th>Role</th><th>Health</th><th>Peer URLs</th><th>Client URLs</th>
                <th>Version</th><th>DB size / in use</th><th>Term</th><th>Index</th><th>Applied</th><th>Lag</th>
              </tr>
            </thead>
            <tbody>
              {data.members.map((m) => (
                <tr key={m.id} data-test="member-row" data-member-name={m.name || m.id}>
                  <td>{m.name || <i>not started</i>}{m.local && <span className="tag">this member</span>}</td>
                  <td className="mono">{m.id}</td>
                  <td data-test="member-role"><span className={`role ${m.role}`}>{m.role}</span></td>
                  <td data-test="member-health" title={m.error}>{m.healthy ? 'healthy' : 'unhealthy'}</td>
                  <td className="mono">{m.peerURLs.join(', ')}</td>
                  <td className="mono">{m.clientURLs.join(', ')}</td>
                  <td>{m.version ?? '—'}</td>
                  <td data-test="member-db">{bytes(m.dbSize)} / {bytes(m.dbSizeInUse)}</td>
                  <td>{m.raftTerm ?? '—'}</td>
                  <td>{m.raftIndex ?? '—'}</td>
                  <td>{m.appliedIndex ?? '—'}</td>
                  <td data-test="member-lag">{m.lag ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Leader changes (seen by this console)</h3>
          <ul data-test="leader-history">
            {leaderHistory.map((h, i) => (
              <li key={i}>{h.at}: {h.leader} leads (term {h.term})</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
