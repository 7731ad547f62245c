// Thin client of the member's admin API (/api on the same origin). Errors carry the server's
// message, which for cluster checks is etcd's exact text.
export class ApiError extends Error {}

export async function api<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch('/api/' + path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : {};
  if (!res.ok) throw new ApiError(json.error ?? `HTTP ${res.status}`);
  return json as T;
}

export interface MemberRow {
  id: string;
  name: string;
  role: 'leader' | 'follower' | 'learner';
  local: boolean;
  healthy: boolean;
  error?: string;
  isLearner: boolean;
  peerURLs: string[];
  clientURLs: string[];
  version?: string;
  dbSize?: number;
  dbSizeInUse?: number;
  raftTerm?: number;
  raftIndex?: number;
  appliedIndex?: number;
  revision?: number;
  compactRevision?: number;
  lag?: number;
  errors?: string[];
}

export interface Cluster {
  clusterId: string;
  leader: string;
  raftTerm: number;
  voters: number;
  quorum: number;
  healthyVoters: number;
  failureTolerance: number;
  members: MemberRow[];
}

export function bytes(n?: number): string {
  if (n === undefined) return '—';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
