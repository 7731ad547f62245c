import { useState } from 'react';
import { api } from '../api';

export interface Pending {
  label: string;
  path: string;
  body: Record<string, unknown>;
}

// Two-step action: the server's dry run (same checks as the real call) is shown first; only a
// second click performs the action.
export function useConfirm(onDone: (result: any) => void) {
  const [pending, setPending] = useState<Pending | undefined>();
  const [plan, setPlan] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const start = async (p: Pending) => {
    setPending(p);
    setPlan(undefined);
    setError(undefined);
    setBusy(true);
    try {
      const r = await api('POST', p.path, { ...p.body, dryRun: true });
      setPlan(r.summary);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const confirm = async () => {
    if (!pending) return;
    setBusy(true);
    try {
      const r = await api('POST', pending.path, { ...pending.body, dryRun: false });
      setPending(undefined);
      setPlan(undefined);
      onDone(r);
    } catch (e) {
      setError((e as Error).message);
      setPlan(undefined);
    } finally {
      setBusy(false);
    }
  };
  const cancel = () => {
    setPending(undefined);
    setPlan(undefined);
    setError(undefined);
  };
  const panel = pending && (
    <div className="confirm" data-test="confirm-panel">
      <div><b>{pending.label}</b></div>
      {busy && <div>Checking…</div>}
      {plan && <div data-test="dry-run-result">Dry run: {plan}</div>}
      {error && <div className="error" data-test="action-error">{error}</div>}
      <button data-test="confirm" disabled={!plan || busy} onClick={confirm}>Confirm</button>
      <button data-test="cancel" onClick={cancel}>Cancel</button>
    </div>
  );
  return { start, panel };
}
