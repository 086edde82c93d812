// Drives the Beacon console in Debian's headless chromium (playwright-core, no bundled browser) against a
// running node filled with simulated data, through the UI only, and checks what it shows against the API's
// own answers to the same queries (fetched here, never hard-coded):
//
//   node console.e2e.mjs <base url> <project id> <secret key> <screenshot dir>
//
// sign in -> 3-step funnel (step counts) -> retention (three heatmap cells) -> trend broken down by
// platform (legend, one value) -> SQL (result table) -> malformed input (inverted dates, unknown property,
// refused SQL: the API's message beside the field). Screenshots of each page go to <screenshot dir>.
// Prints one JSON line (checks made, console errors, failed requests); exits 1 when anything is wrong.
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const consoleDir = new URL('..', import.meta.url).pathname;
const { chromium } = createRequire(join(consoleDir, 'package.json'))('playwright-core');

const [base, projectId, secretKey, shots] = process.argv.slice(2);
if (!base || !projectId || !secretKey || !shots) {
  console.error('usage: node console.e2e.mjs <base url> <project id> <secret key> <screenshot dir>');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });
const report = { checks: [], consoleErrors: [], pageErrors: [], failedRequests: [], badResponses: [], expectedErrors: [] };
const TIMEOUT = 30_000;

// ---- the API, called directly for the expected values -------------------------------------------------
async function apiCall(path, body) {
  const res = await fetch(base + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: `Bearer ${secretKey}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}
async function apiOk(path, body) {
  const r = await apiCall(path, body);
  if (r.status !== 200) throw new Error(`${path} answered ${r.status}: ${JSON.stringify(r.json)}`);
  return r.json;
}

function check(name, actual, expected) {
  const ok = JSON.stringify(actual) === JSON.stringify(expected);
  report.checks.push({ name, ok, actual, expected });
  if (!ok) throw new Error(`${name}: the console shows ${JSON.stringify(actual)}, the API says ${JSON.stringify(expected)}`);
}
const number = (text) => Number(String(text).replace(/,/g, '').trim());

// the last 7 local days of the project's zone, today included: what the console's "Last 7 days" preset sends
function last7(zone) {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date());
  const get = (t) => parts.find((p) => p.type === t).value;
  const to = `${get('year')}-${get('month')}-${get('day')}`;
  const d = new Date(`${to}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 6);
  return { from: d.toISOString().slice(0, 10), to };
}

// ---- the browser --------------------------------------------------------------------------------------
const userDataDir = mkdtempSync(join(tmpdir(), 'beacon-console-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.BEACON_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 800 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
// Responses >= 400 are failures unless the step in progress expects exactly that API error.
let expecting = null;
const sent = {};
context.on('request', (request) => {
  const url = new URL(request.url());
  if (url.origin !== new URL(base).origin && !url.protocol.startsWith('data')) {
    report.failedRequests.push({ url: request.url(), failure: 'request left the Beacon origin' });
  }
  if (request.method() === 'POST' && url.pathname.startsWith('/api/v1/')) sent[url.pathname] = JSON.parse(request.postData() || 'null');
});
context.on('requestfailed', (request) => report.failedRequests.push({ url: request.url(), failure: request.failure()?.errorText }));
context.on('response', (response) => {
  if (response.status() < 400) return;
  const path = new URL(response.url()).pathname;
  if (expecting && expecting.path === path && expecting.status === response.status()) {
    report.expectedErrors.push({ path, status: response.status() });
  } else {
    report.badResponses.push({ url: response.url(), status: response.status() });
  }
});

const page = context.pages()[0] ?? await context.newPage();
page.setDefaultTimeout(TIMEOUT);
page.on('console', (msg) => {
  if (msg.type() !== 'error') return;
  // Chromium logs every 4xx answer as "Failed to load resource"; the expected ones are counted above
  const expected = msg.text().startsWith('Failed to load resource') && expecting
    && (msg.location()?.url || '').includes(expecting.path);
  if (!expected) report.consoleErrors.push({ text: msg.text(), url: msg.location()?.url });
});
page.on('pageerror', (e) => report.pageErrors.push(String(e)));

async function runAndWait(resultTestId) {
  await page.getByTestId('run').click();
  await page.getByTestId(resultTestId).waitFor();
}

let failure = null;
try {
  const project = await apiOk(`/api/v1/projects/${encodeURIComponent(projectId)}`);
  const range = last7(project.timezone);

  // Sign in: the key goes into sessionStorage, never into the URL
  await page.goto(`${base}/`);
  await page.getByTestId('signin-project').fill(projectId);
  await page.getByTestId('signin-key').fill(secretKey);
  await page.screenshot({ path: join(shots, 'sign-in.png') });
  await page.getByTestId('signin-submit').click();
  await page.waitForURL(/\/insights\/trends/);
  check('project zone shown', await page.getByTestId('project-zone').textContent(), project.timezone);
  check('secret key not in the URL', page.url().includes(secretKey), false);

  // Funnel: three steps of the shop funnel, ordered, 1-day window
  const steps = ['Product Viewed', 'Product Added', 'Checkout Started'];
  await page.getByTestId('nav-funnels').click();
  await page.getByTestId('add-step').click();
  const stepInputs = page.getByTestId('step-event');
  for (let i = 0; i < steps.length; i++) await stepInputs.nth(i).fill(steps[i]);
  await page.getByTestId('window-value').fill('1');
  await page.getByTestId('window-unit').selectOption('day');
  await runAndWait('funnel-table');
  const funnelQuery = { date_range: range, order: 'ordered', window: { value: 1, unit: 'day' }, steps: steps.map((event) => ({ event })) };
  check('funnel query the console sent', sent['/api/v1/insights/funnels'], funnelQuery);
  const funnel = await apiOk('/api/v1/insights/funnels', funnelQuery);
  const shownCounts = (await page.getByTestId('step-count').allTextContents()).map(number);
  check('funnel step counts', shownCounts, funnel.groups[0].steps.map((s) => s.count));
  check('funnel drop-offs', (await page.getByTestId('step-dropoff').allTextContents()).map(number), funnel.groups[0].steps.map((s) => s.drop_off));
  if (!(shownCounts[0] > shownCounts[2] && shownCounts[2] > 0)) throw new Error(`the simulated funnel should narrow: ${shownCounts}`);
  await page.getByTestId('view-sql').click();
  check('funnel SQL shown', (await page.getByTestId('sql-text').first().textContent()).trim(), funnel.queries[0].sql.trim());
  await page.screenshot({ path: join(shots, 'funnels.png') });
  const shared = page.url();

  // Retention: any event to any event, daily, 7 periods; three cells of the heatmap
  await page.getByTestId('nav-retention').click();
  await runAndWait('heatmap');
  const retention = await apiOk('/api/v1/insights/retention', { date_range: range, period: 'day', periods: 7, start_event: {}, return_event: {} });
  check('retention query the console sent', sent['/api/v1/insights/retention'], { date_range: range, period: 'day', periods: 7, start_event: {}, return_event: {} });
  for (const [row, offset] of [[0, 0], [0, 1], [2, 3]]) {
    const cell = page.getByTestId(`cell-${row}-${offset}`);
    const c = retention.cohorts[row];
    check(`retention cell ${c.period} +${offset} count`, number(await cell.getAttribute('data-count')), c.counts[offset]);
    check(`retention cell ${c.period} +${offset} text`, (await cell.innerText()).replace(/\s+/g, ' ').trim(),
      `${(c.rates[offset] * 100).toFixed(1)}% ${c.counts[offset].toLocaleString('en-US')}`);
  }
  await page.screenshot({ path: join(shots, 'retention.png') });

  // Trend broken down by platform: the legend names every line, one bucket value matches
  await page.getByTestId('nav-trends').click();
  await page.getByTestId('series-event').first().fill('Product Viewed');
  await page.getByTestId('series-math').first().selectOption('unique_persons');
  await page.getByTestId('breakdown').fill('platform');
  await page.getByTestId('chart-type').selectOption('bar');
  await runAndWait('trends-table');
  const trendQuery = { date_range: range, interval: 'day', series: [{ math: 'unique_persons', event: 'Product Viewed' }], breakdown: { property: 'platform', limit: 10 } };
  check('trend query the console sent', sent['/api/v1/insights/trends'], trendQuery);
  const trend = await apiOk('/api/v1/insights/trends', trendQuery);
  const names = trend.series.map((l) => `${l.series}: ${l.event} (${l.math}) · ${l.breakdown_value === '' ? '(none)' : l.breakdown_value}`);
  check('trend legend', (await page.getByTestId('legend-item').allInnerTexts()).map((t) => t.trim()), names);
  if (trend.series.length < 2) throw new Error(`a platform breakdown should give several lines: ${names}`);
  const bucket = trend.buckets.length - 2; // yesterday: a whole day of simulated history
  const line = trend.series[0];
  const cell = page.locator(`tr[data-line="${names[0]}"] td[data-bucket="${trend.buckets[bucket]}"]`);
  check(`trend value ${names[0]} on ${trend.buckets[bucket]}`, number(await cell.textContent()), line.values[bucket]);
  await page.screenshot({ path: join(shots, 'trends.png') });

  // A shared link opens the same funnel with its result
  await page.goto(shared);
  await page.getByTestId('funnel-table').waitFor();
  check('shared funnel link step counts', (await page.getByTestId('step-count').allTextContents()).map(number), funnel.groups[0].steps.map((s) => s.count));

  // SQL console
  const sql = 'SELECT platform, count() AS events FROM events GROUP BY platform ORDER BY platform';
  await page.getByTestId('nav-sql').click();
  await page.getByTestId('sql-input').fill(sql);
  await runAndWait('sql-table');
  const sqlAnswer = await apiOk('/api/v1/sql', { sql });
  const rows = await page.locator('[data-testid="sql-table"] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
  check('SQL result table', rows, sqlAnswer.rows);
  check('SQL columns', await page.locator('[data-testid="sql-table"] thead th').allTextContents(), sqlAnswer.columns);
  await page.screenshot({ path: join(shots, 'sql.png') });

  // Malformed input: the API's message appears beside the field it names
  async function expectFieldError(path, query, field, action) {
    const api = await apiCall(path, query);
    if (api.status !== 400) throw new Error(`${path} should refuse ${JSON.stringify(query)}: ${api.status}`);
    expecting = { path, status: 400 };
    await action();
    const shown = page.locator(`.field-error[data-field="${field}"]`);
    await shown.waitFor();
    expecting = null;
    check(`error beside ${field} (${api.json.error.field})`, (await shown.textContent()).trim(), api.json.error.message);
  }
  const badSql = 'SELECT count() FROM system.tables';
  await expectFieldError('/api/v1/sql', { sql: badSql }, 'sql', async () => {
    await page.getByTestId('sql-input').fill(badSql);
    await page.getByTestId('run').click();
  });

  await page.getByTestId('nav-trends').click();
  await page.getByTestId('series-event').first().fill('Product Viewed');
  await page.getByTestId('date-preset').selectOption('custom');
  const inverted = { from: range.to, to: range.from };
  await expectFieldError('/api/v1/insights/trends', { date_range: inverted, interval: 'day', series: [{ math: 'total', event: 'Product Viewed' }] },
    'date_range', async () => {
      await page.getByTestId('date-from').fill(inverted.from);
      await page.getByTestId('date-to').fill(inverted.to);
      await page.getByTestId('run').click();
    });
  await page.getByTestId('date-preset').selectOption('7d');
  await expectFieldError('/api/v1/insights/trends',
    { date_range: range, interval: 'day', series: [{ math: 'total', event: 'Product Viewed' }], breakdown: { property: 'plan_tier', limit: 10 } },
    'breakdown', async () => {
      await page.getByTestId('breakdown').fill('plan_tier');
      await page.getByTestId('run').click();
    });
  await page.screenshot({ path: join(shots, 'error.png') });
} catch (e) {
  failure = String(e?.stack || e);
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
report.failure = failure;
console.log(JSON.stringify(report));
const clean = report.consoleErrors.length === 0 && report.pageErrors.length === 0 && report.failedRequests.length === 0
  && report.badResponses.length === 0;
process.exit(failure === null && clean ? 0 : 1);
