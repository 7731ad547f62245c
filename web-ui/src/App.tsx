import { useEffect, useState } from 'react';
import { Overview } from './screens/Overview';
import { Membership } from './screens/Membership';
import { Alarms } from './screens/Alarms';
import { Maintenance } from './screens/Maintenance';
import { Keys } from './screens/Keys';
import { NotYet } from './screens/NotYet';
import { Leases } from './screens/Leases';
import { Watch } from './screens/Watch';
import { SlowRequests } from './screens/SlowRequests';
import { Metrics } from './screens/Metrics';
import { api } from './api';

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
  const [features, setFeatures] = useState<Record<string, unknown>>({ leases: true, watch: true });
  useEffect(() => {
    api('GET', 'features').then(setFeatures).catch(() => {});
  }, []);
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
        {screen === 'leases' && (features.leases ? <Leases /> : <NotYet title="Leases" what="a lease back end" />)}
        {screen === 'watch' && (features.watch ? <Watch /> : <NotYet title="Watch" what="a watch hub" />)}
        {screen === 'slow' && <SlowRequests />}
        {screen === 'metrics' && <Metrics />}
      </main>
    </div>
  );
}
