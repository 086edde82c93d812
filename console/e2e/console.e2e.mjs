// Drives the Beacon console in Debian's headless chromium (playwright-core, no bundled browser) against a
// running node filled with simulated data, through the UI only, and checks what it shows against the API's
// own answers to the same queries (fetched here, never hard-coded):
//
//   node console.e2e.mjs <base url> <project id> <secret key> <screenshot dir> [step name ...]
//
// Signs in, then runs the steps in steps/ in file-name order (each a module exporting `name` and
// `run(ctx)`; naming some runs only those, e.g. `people`). Screenshots of each page go to <screenshot dir>.
// Prints one JSON line (steps run, checks made, screenshots, console errors, failed requests); exits 1 when
// anything is wrong.
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const consoleDir = new URL('..', import.meta.url).pathname;
const { chromium } = createRequire(join(consoleDir, 'package.json'))('playwright-core');

const [base, projectId, secretKey, shots, ...only] = process.argv.slice(2);
if (!base || !projectId || !secretKey || !shots) {
  console.error('usage: node console.e2e.mjs <base url> <project id> <secret key> <screenshot dir> [step name ...]');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });
const report = { steps: [], checks: [], screenshots: [], consoleErrors: [], pageErrors: [], failedRequests: [], abortedRequests: [], badResponses: [],
  expectedErrors: [], fieldErrorsAsked: 0 };
const TIMEOUT = 30_000;

// ---- the API, called directly for the expected values -------------------------------------------------
async function apiCall(path, body, method = body === undefined ? 'GET' : 'POST') {
  const res = await fetch(base + path, {
    method,
    headers: { Authorization: `Bearer ${secretKey}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: res.status, json };
}
async function apiOk(path, body, method) {
  const r = await apiCall(path, body, method);
  if (r.status < 200 || r.status > 299) throw new Error(`${method || (body === undefined ? 'GET' : 'POST')} ${path} answered ${r.status}: ${JSON.stringify(r.json)}`);
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
  if (request.method() !== 'GET' && url.pathname.startsWith('/api/v1/')) {
    const body = request.postData() || 'null';
    try {
      sent[url.pathname] = JSON.parse(body);
    } catch {
      sent[url.pathname] = body; // not JSON (a text/csv upload): kept as the text sent
    }
  }
});
// A request the browser itself cancels because the page navigated away (net::ERR_ABORTED) is not a failure
// of Beacon; every other failure (refused connection, reset, timeout) is.
context.on('requestfailed', (request) => {
  const failure = request.failure()?.errorText;
  if (failure === 'net::ERR_ABORTED') report.abortedRequests.push(request.url());
  else report.failedRequests.push({ url: request.url(), failure });
});
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
async function shot(name) {
  await page.screenshot({ path: join(shots, `${name}.png`) });
  report.screenshots.push(name);
}
// Malformed input: the API refuses `query` at `path` (asked directly first), and after `action` the console
// shows the API's message beside the field it names (`.field-error[data-field=…]`); that one 4xx is expected.
async function expectFieldError(path, query, field, action, { method, status = 400 } = {}) {
  const api = await apiCall(path, query, method);
  if (api.status !== status) throw new Error(`${path} should refuse ${JSON.stringify(query)} with ${status}: ${api.status} ${JSON.stringify(api.json)}`);
  report.fieldErrorsAsked++;
  expecting = { path: new URL(path, base).pathname, status }; // a GET names its parameters in the query string
  await action();
  const shown = page.locator(`.field-error[data-field="${field}"]`);
  await shown.waitFor();
  expecting = null;
  check(`error beside ${field} (${api.json.error.field})`, (await shown.textContent()).trim(), api.json.error.message);
  return api.json.error;
}


const stepsDir = join(consoleDir, 'e2e', 'steps');
const stepFiles = readdirSync(stepsDir).filter((f) => f.endsWith('.mjs')).sort();
let failure = null;
try {
  const project = await apiOk(`/api/v1/projects/${encodeURIComponent(projectId)}`);
  const range = last7(project.timezone);

  // Sign in: the key goes into sessionStorage, never into the URL
  await page.goto(`${base}/`);
  await page.getByTestId('signin-project').fill(projectId);
  await page.getByTestId('signin-key').fill(secretKey);
  await shot('sign-in');
  // a wrong key first: the API's 401 message beside the key field, and nothing kept
  const wrongKey = `sk_${'0'.repeat(48)}`;
  const refused = await fetch(`${base}/api/v1/projects/${encodeURIComponent(projectId)}`, { headers: { Authorization: `Bearer ${wrongKey}` } });
  const refusal = (await refused.json()).error;
  if (refused.status !== 401) throw new Error(`a wrong key should be refused with 401: ${refused.status}`);
  report.fieldErrorsAsked++;
  expecting = { path: `/api/v1/projects/${encodeURIComponent(projectId)}`, status: 401 };
  await page.getByTestId('signin-key').fill(wrongKey);
  await page.getByTestId('signin-submit').click();
  const keyError = page.locator('.field-error[data-field="secret_key"]');
  await keyError.waitFor();
  expecting = null;
  check('a wrong key: the API error beside the key', (await keyError.textContent()).trim(), refusal.message);
  check('a wrong key is not kept', await page.evaluate(() => Object.keys(sessionStorage).filter((k) => sessionStorage.getItem(k).includes('sk_000')).length), 0);
  await page.getByTestId('signin-key').fill(secretKey);
  await page.getByTestId('signin-submit').click();
  await page.waitForURL(/\/insights\/trends/);
  check('project zone shown', await page.getByTestId('project-zone').textContent(), project.timezone);
  check('secret key not in the URL', page.url().includes(secretKey), false);

  const ctx = { page, base, projectId, project, range, apiCall, apiOk, check, number, last7, runAndWait, shot, expectFieldError, sent,
    shared: {} };
  for (const file of stepFiles) {
    const step = await import(join(stepsDir, file));
    if (only.length > 0 && !only.includes(step.name)) continue;
    const started = Date.now();
    const [checks, asked] = [report.checks.length, report.fieldErrorsAsked];
    await step.run(ctx);
    report.steps.push({ name: step.name, millis: Date.now() - started, checks: report.checks.length - checks,
      fieldErrors: report.fieldErrorsAsked - asked });
  }
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
