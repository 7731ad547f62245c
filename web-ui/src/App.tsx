import { useEffect, useState } from 'react';
import { Overview } from './screens/Overview';
import { Membership } from './screens/Membership';
import { Alarms } from './screens/Alarms';
import { Maintenance } from './screens/Maintenance';
import { Keys } from './screens/Keys';
import { NotYet } from './screens/NotYet';

const SCREENS: [string, string][] = [
  ['overview', 'Overview'],
  ['membership', 'Membership'],
  ['alarms', 'Alarms'],
  ['maintenance', 'Compaction & defrag'],
  ['keys', 'Keys'],
  ['leases', 'Leases'],
  ['watch', 'Watch'],
  ['slow', 'Slow requests'],
  ['metrics', 'Metrics'],
];

function screenFromHash(): string {
  const h = window.location.hash.replace(/^#\/?/, '').split('?')[0];
  return SCREENS.some(([id]) => id === h) ? h : 'overview';
}

export function App() {
  const [screen, setScreen] = useState(screenFromHash());
  const [theme, setTheme] = useState(localStorage.getItem('keel-theme') ?? 'light');
  useEffect(() => {
    const on = () => setScreen(screenFromHash());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem('keel-theme', theme);
  }, [theme]);
  return (
    <div className="app">
      <nav className="nav">
        <h1>Keel</h1>
        {SCREENS.map(([id, label]) => (
          <a key={id} href={`#/${id}`} data-test={`nav-${id}`} className={screen === id ? 'active' : ''}>
            {label}
          </a>
        ))}
        <button data-test="theme-toggle" className="theme" onClick={() => setTheme(theme === 'light' ? 'dark' : 'light')}>
          {theme === 'light' ? 'Dark theme' : 'Light theme'}
        </button>
      </nav>
      <main className="main" data-test={`screen-${screen}`}>
        {screen === 'overview' && <Overview />}
        {screen === 'membership' && <Membership />}
        {screen === 'alarms' && <Alarms />}
        {screen === 'maintenance' && <Maintenance />}
        {screen === 'keys' && <Keys />}
        {screen === 'leases' && <NotYet title="Leases" what="the Lease service (issue: lease)" />}
        {screen === 'watch' && <NotYet title="Watch" what="the Watch service (issue: watch)" />}
        {screen === 'slow' && <NotYet title="Slow requests" what="the slow-request buffer, GET /api/slow-requests (issue: tracing)" />}
        {screen === 'metrics' && <NotYet title="Metrics" what="the /metrics endpoint (issue: metrics)" />}
      </main>
    </div>
  );
}
