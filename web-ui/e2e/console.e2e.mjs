// Browser test of the admin console: drives Debian's chromium with playwright-core against the
// 3-member cluster that backend's ConsoleBrowserTest started. Every wait polls a condition with a
// generous deadline (the machine is slow and shared); nothing waits on wall-clock time alone.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';

const urls = process.env.KEEL_URLS.split(',');
const keys = Number(process.env.KEEL_KEYS);
const shots = process.env.SCREENSHOTS;
const newPeer = process.env.KEEL_NEW_PEER_URL;
const newClient = process.env.KEEL_NEW_CLIENT_URL;
const jaegerUrl = process.env.JAEGER_URL;
const LONG = 90_000;
// Catching up 100,000 keys by snapshot on a loaded machine takes a while.
const CATCH_UP = 300_000;
mkdirSync(shots, { recursive: true });

const log = (...a) => console.log('console e2e:', ...a);
const sel = (name) => `[data-test="${name}"]`;
function fail(msg) {
  throw new Error(msg);
}
async function until(what, fn, timeout = LONG) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  fail(`timed out waiting for ${what}${last ? ': ' + last.message : ''}`);
}
async function apiGet(base, path) {
  const r = await fetch(`${base}/api/${path}`);
  return r.json();
}
async function apiPut(key, value) {
  const r = await fetch(`${urls[0]}/api/key`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ key, value }) });
  if (!r.ok) fail(`put ${key}: ${(await r.json()).error}`);
}
const etcdctl = (...args) => execFileSync('etcdctl', [`--endpoints=${urls.join(',')}`, '--command-timeout=30s', ...args],
  { env: { ...process.env, ETCDCTL_API: '3' } }).toString();
// The JUnit side starts processes for us: ask on stdout, wait for its answer on stdin.
async function askTest(request) {
  const rl = createInterface({ input: process.stdin });
  const answer = rl[Symbol.asyncIterator]().next();
  console.log(`console e2e: ${request}`);
  const { value } = await answer;
  rl.close();
  if (value !== 'started') fail(`${request}: ${value}`);
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(LONG);
  const go = async (screen) => {
    await page.click(sel(`nav-${screen}`));
    await page.waitForSelector(sel(`screen-${screen}`));
  };
  const row = (table, name) => page.locator(`${sel(table)}[data-member-name="${name}"]`);
  const roleOf = async (table, name) => (await row(table, name).locator(sel('member-role')).textContent())?.trim();
  // The console's two-click actions: the dry run must pass, then the real call must succeed.
  const twoClick = async (button) => {
    await button.click();
    await page.waitForSelector(`${sel('dry-run-result')}, ${sel('action-error')}`);
    if (await page.locator(sel('action-error')).count()) fail(`dry run: ${await page.textContent(sel('action-error'))}`);
    await page.click(sel('confirm'));
    await page.waitForSelector(`${sel('action-result')}, ${sel('action-error')}`);
    if (await page.locator(sel('action-error')).count()) fail(`action: ${await page.textContent(sel('action-error'))}`);
  };

  // 1. Overview: three healthy members, one leader, real Raft numbers.
  await page.goto(`${urls[0]}/ui/`);
  await until('three healthy members', async () =>
    (await page.locator(`${sel('member-row')} ${sel('member-health')}:text-is("healthy")`).count()) === 3);
  await until('one leader', async () => (await page.locator('.role.leader').count()) === 1);
  const tolerance = await page.textContent(sel('failure-tolerance'));
  if (!tolerance.includes('can lose 1 member')) fail(`tolerance: ${tolerance}`);
  await page.screenshot({ path: `${shots}/overview.png`, fullPage: true });
  await page.click(sel('theme-toggle'));
  await page.screenshot({ path: `${shots}/overview-dark.png`, fullPage: true });
  await page.click(sel('theme-toggle'));
  log('overview ok');

  // 2. Keys: page through all 100,000 keys under bulk/, in order, with no gaps.
  await go('keys');
  await page.click(`${sel('folder-entry')}[data-key="bulk/"]`);
  await until('first page of 100', async () => (await page.locator(sel('key-entry')).count()) === 100);
  await page.selectOption(sel('page-size'), '500');
  await until('first page of 500', async () => (await page.locator(sel('key-entry')).count()) === 500);
  let seen = 0;
  for (;;) {
    const first = `bulk/${String(seen).padStart(5, '0')}`;
    await until(`page starting at ${first}`, async () =>
      (await page.locator(`${sel('key-list')} li:first-child ${sel('key-entry')}`).getAttribute('data-key')) === first);
    const onPage = await page.locator(sel('key-entry')).evaluateAll((els) => els.map((e) => e.dataset.key));
    onPage.forEach((k, i) => {
      if (k !== `bulk/${String(seen + i).padStart(5, '0')}`) fail(`key ${seen + i} is ${k}`);
    });
    seen += onPage.length;
    if (await page.isDisabled(sel('next-page'))) break;
    await page.click(sel('next-page'));
  }
  if (seen !== keys) fail(`paged through ${seen} keys, expected ${keys}`);
  log(`paged through ${seen} keys`);
  // A value with history, shown as JSON; put and delete from the console.
  await page.fill(sel('put-key'), 'app/config');
  for (const n of [1, 2, 3]) {
    await page.fill(sel('put-value'), `{"replicas":${n}}`);
    await page.click(sel('put-submit'));
    await until(`app/config version ${n}`, async () =>
      (await page.textContent(sel('key-value')))?.includes(`"replicas": ${n}`) &&
      (await page.locator(sel('history-entry')).count()) === n - 1);
  }
  if ((await page.textContent(sel('key-encoding'))) !== 'json') fail('app/config not shown as JSON');
  await page.screenshot({ path: `${shots}/keys.png`, fullPage: true });
  await page.click(sel('delete-key'));
  await page.click(sel('confirm-delete'));
  await until('app/config deleted', async () => (await apiGet(urls[0], 'key?key=app/config')).exists === false);
  log('keys ok');

  // 3. Membership: add a learner (two clicks), promote gated by the dry run, remove it, move the leader.
  await go('membership');
  await page.fill(sel('add-name'), 'c4');
  await page.fill(sel('add-peer-url'), newPeer);
  await page.fill(sel('add-client-url'), newClient);
  if (!(await page.isChecked(sel('add-learner')))) fail('learner is not the default');
  await twoClick(page.locator(sel('add-member')));
  const command = (await page.textContent(sel('start-command'))).trim();
  log('start command:', command);
  await until('the new learner listed', async () => (await page.locator(`${sel('membership-row')} .role.learner`).count()) === 1);
  const learnerRow = page.locator(sel('membership-row')).filter({ has: page.locator('.role.learner') });
  // Not started, so not caught up: promote stays disabled and says why (the server's dry run).
  await until('promote disabled with the reason', async () => (await learnerRow.locator(sel('promote')).isDisabled()) &&
    (await learnerRow.locator(sel('promote-reason')).textContent())?.includes('in sync with leader'));
  log('learner added; promote disabled until it catches up');
  // Start it with the command the console showed (the JUnit side runs it), let it catch up, promote it.
  if (!command.includes('--initial-cluster-state existing')) fail(`start command: ${command}`);
  await askTest('START LEARNER');
  await until('the learner started and healthy', async () => (await learnerRow.getAttribute('data-member-name')) === 'c4' &&
    (await learnerRow.locator(sel('member-health')).textContent())?.trim() === 'healthy', CATCH_UP);
  await page.screenshot({ path: `${shots}/membership.png`, fullPage: true });
  await until('promote enabled once caught up', async () => !(await learnerRow.locator(sel('promote')).isDisabled()), CATCH_UP);
  await twoClick(learnerRow.locator(sel('promote')));
  await until('c4 is a voter', async () => ['follower', 'leader'].includes(await roleOf('membership-row', 'c4')));
  log('learner started, caught up and promoted to a voter');
  await twoClick(row('membership-row', 'c4').locator(sel('remove')));
  await until('c4 gone', async () => (await row('membership-row', 'c4').count()) === 0);
  log('c4 removed');

  const cluster = await apiGet(urls[0], 'cluster');
  const target = cluster.members.find((m) => m.role === 'follower');
  await twoClick(row('membership-row', target.name).locator(sel('move-leader')));
  await until(`${target.name} leads`, async () => (await roleOf('membership-row', target.name)) === 'leader');
  log(`leadership moved to ${target.name}`);

  // 4. NOSPACE: fill the quota, see the alarm, compact and defragment (sizes drop), disarm, write.
  const big = 'x'.repeat(1024 * 1024);
  let full = false;
  for (let i = 0; i < 200 && !full; i++) {
    const r = await fetch(`${urls[0]}/api/key`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ key: 'big', value: big }) });
    if (!r.ok) {
      const e = await r.json();
      if (!e.error.includes('database space exceeded')) fail(`unexpected put error: ${e.error}`);
      full = true;
    }
  }
  if (!full) fail('the quota never filled');
  await go('alarms');
  await page.waitForSelector(`${sel('alarm-row')}[data-alarm="NOSPACE"]`);
  await page.screenshot({ path: `${shots}/alarms.png`, fullPage: true });
  log('NOSPACE alarm shown');

  await go('maintenance');
  await page.fill(sel('compact-keep'), '0');
  await page.click(sel('compact-keep-submit'));
  await until('compacted', async () => (await page.textContent(sel('maintenance-message')))?.includes('compacted to revision'));
  await page.click(sel('defrag-all'));
  await page.waitForSelector(sel('defrag-result'), { timeout: 300_000 });
  const sizes = await page.locator(sel('defrag-result')).evaluateAll((rows) => rows.map((r) => ({
    before: Number(r.querySelector('[data-test="size-before"]').dataset.bytes),
    after: Number(r.querySelector('[data-test="size-after"]').dataset.bytes) })));
  if (sizes.length !== 3) fail(`defragmented ${sizes.length} members`);
  sizes.forEach((s) => { if (!(s.after < s.before)) fail(`size did not drop: ${JSON.stringify(s)}`); });
  await page.screenshot({ path: `${shots}/maintenance.png`, fullPage: true });
  log('compacted and defragmented:', JSON.stringify(sizes));

  await go('alarms');
  // The screen shows its rows or "no alarms" once its first poll answered; counting before that
  // would see no rows and skip the disarming.
  await page.waitForSelector(`${sel('alarm-row')}, ${sel('no-alarms')}`);
  // Each member that hit the quota raised its own NOSPACE alarm: disarm them one by one.
  for (let n = await page.locator(sel('alarm-row')).count(); n > 0; n = await page.locator(sel('alarm-row')).count()) {
    await page.locator(`${sel('alarm-row')} ${sel('disarm')}`).first().click();
    await until(`${n - 1} alarms left`, async () => (await page.locator(sel('alarm-row')).count()) < n);
  }
  await page.waitForSelector(sel('no-alarms'));
  await go('keys');
  await page.fill(sel('put-key'), 'after-nospace');
  await page.fill(sel('put-value'), 'works');
  await page.click(sel('put-submit'));
  await until('write after disarm', async () => (await page.textContent(sel('key-message')))?.startsWith('put after-nospace'));
  log('writes work again');

  // 5. Leases: one granted by etcdctl with a key attached, counting down, revoked from the console.
  const granted = etcdctl('lease', 'grant', '600');
  const leaseHex = /lease ([0-9a-f]+) granted/.exec(granted)?.[1] ?? fail(`lease grant: ${granted}`);
  const leaseId = leaseHex.replace(/^0+/, '');
  etcdctl('put', `--lease=${leaseHex}`, 'session/worker-1', 'alive');
  await go('leases');
  const leaseRow = page.locator(`${sel('lease-row')}[data-lease-id="${leaseId}"]`);
  await until('the lease with its key', async () =>
    (await leaseRow.locator(sel('lease-keys')).textContent())?.includes('session/worker-1'));
  const ttlAt = async () => Number(await leaseRow.locator(sel('lease-ttl')).getAttribute('data-ttl'));
  const firstTtl = await ttlAt();
  if (!(firstTtl > 0 && firstTtl <= 600)) fail(`remaining TTL ${firstTtl}`);
  await until('the TTL counting down', async () => (await ttlAt()) < firstTtl);
  await page.screenshot({ path: `${shots}/leases.png`, fullPage: true });
  await twoClick(leaseRow.locator(sel('revoke')));
  await until('lease gone', async () => (await leaseRow.count()) === 0);
  await until('its key deleted', async () => (await apiGet(urls[0], 'key?key=session/worker-1')).exists === false);
  log(`lease ${leaseId} counted down from ${firstTtl} s and was revoked with its key`);

  // 6. Watch: a live tail of tail/ sees a put and a delete, and nothing outside the prefix.
  await go('watch');
  await page.fill(sel('watch-prefix'), 'tail/');
  await page.click(sel('watch-start'));
  await until('watching', async () => (await page.textContent(sel('watch-status')))?.startsWith('watching'));
  await apiPut('elsewhere', 'not shown');
  await apiPut('tail/k1', 'v1');
  await fetch(`${urls[0]}/api/key?key=tail/k1`, { method: 'DELETE' });
  await until('the put and delete events', async () =>
    (await page.locator(`${sel('watch-event')}[data-key="tail/k1"][data-type="PUT"] ${sel('watch-value')}`).textContent()) === 'v1' &&
    (await page.locator(`${sel('watch-event')}[data-key="tail/k1"][data-type="DELETE"]`).count()) === 1);
  if ((await page.locator(`${sel('watch-event')}[data-key="elsewhere"]`).count()) !== 0) fail('event outside the prefix');
  await page.screenshot({ path: `${shots}/watch.png`, fullPage: true });
  await page.click(sel('watch-stop'));
  log('watch tail ok');

  // 7. Slow requests (the cluster runs with a tiny threshold), each trace id linked to Jaeger.
  await go('slow');
  await until('slow requests listed', async () => (await page.locator(sel('slow-row')).count()) > 0);
  if ((await page.textContent(sel('jaeger-url'))) !== jaegerUrl) fail(`jaeger url: ${await page.textContent(sel('jaeger-url'))}`);
  const link = page.locator(sel('jaeger-link')).first();
  await until('a traced slow request', async () => (await link.count()) === 1);
  const traceId = (await link.textContent()).trim();
  if ((await link.getAttribute('href')) !== `${jaegerUrl}/trace/${traceId}`) fail(`link ${await link.getAttribute('href')}`);
  await page.locator(sel('slow-expand')).first().click();
  await page.waitForSelector(sel('slow-steps'));
  await page.screenshot({ path: `${shots}/slow.png`, fullPage: true });
  log(`slow trace ${traceId}`);

  // 8. Metrics: charts from the member's own /metrics show real values while writes go on.
  await go('metrics');
  const metric = async (id) => page.locator(`${sel('metric-chart')}[data-metric="${id}"]`).getAttribute('data-value');
  let n = 0;
  await until('every chart has a value', async () => {
    await apiPut(`metrics/${n++}`, 'x');
    return Number(await metric('proposals')) > 0 && (await metric('fsync-p99')) !== '' &&
      Number(await metric('db-size')) > 0 && Number(await metric('leader-changes')) >= 1;
  });
  // A few more scrapes, so the screenshot shows lines rather than single points.
  await until('five points on the proposals chart', async () => {
    await apiPut(`metrics/${n++}`, 'x');
    return Number(await page.locator(`${sel('metric-chart')}[data-metric="proposals"]`).getAttribute('data-points')) >= 5;
  });
  const values = {};
  for (const id of ['proposals', 'fsync-p99', 'db-size', 'leader-changes']) values[id] = await metric(id);
  await page.screenshot({ path: `${shots}/metrics.png`, fullPage: true });
  log('metrics:', JSON.stringify(values));
  log('all steps passed');
} catch (e) {
  const pages = browser.contexts().flatMap((c) => c.pages());
  if (pages.length) await pages[0].screenshot({ path: `${shots}/failure.png`, fullPage: true }).catch(() => {});
  throw e;
} finally {
  await browser.close();
}
