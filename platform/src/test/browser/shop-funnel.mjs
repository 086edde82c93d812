// Drives the /demo/shop page of a running Beacon node through the whole funnel in Debian's
// headless chromium with posthog-js as shipped (Playwright's playwright-core, no bundled browser).
//
//   node shop-funnel.mjs <beacon base url> <write key> [record.json]
//
// home -> product (click) -> add to cart (click) -> cart -> checkout -> log in (posthog.identify)
// -> place order (posthog.capture('purchase')) -> close the page (posthog-js flushes with
// sendBeacon on unload). Prints one JSON line on stdout: what the SDK reported (distinct ids,
// session id), console errors, failed requests and every request sent to the collection API.
// With a third argument, the collection requests (method, url, headers, body as base64) are written
// there: they are the source of the gateway's PostHog fixtures. Exits 1 when anything went wrong.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// playwright-core is installed in platform/web (npm ci); resolve it from there, not from this folder.
const webDir = process.env.BEACON_WEB_DIR || new URL('../../../web/', import.meta.url).pathname;
const { chromium } = createRequire(join(webDir, 'package.json'))('playwright-core');

const [base, writeKey, recordFile] = process.argv.slice(2);
if (!base || !writeKey) {
  console.error('usage: node shop-funnel.mjs <beacon base url> <write key> [record.json]');
  process.exit(2);
}
const executablePath = process.env.BEACON_CHROMIUM || '/usr/bin/chromium';
const userDataDir = mkdtempSync(join(tmpdir(), 'beacon-chromium-'));
const report = { consoleErrors: [], pageErrors: [], failedRequests: [], abortedRequests: [], badResponses: [], requests: [] };
const recorded = [];
const COLLECTION = /\/(e|i\/v0\/e|capture|track|batch|engage|s)\/?(\?|$)/;

const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath,
  headless: true,
  // posthog-js drops the events of browsers it takes for bots: a "HeadlessChrome" user agent or
  // brand, or navigator.webdriver (set under automation). The test browses as the desktop Chrome it
  // is (and AutomationControlled is switched off below) so the SDK behaves as for a real visitor.
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run',
    '--disable-blink-features=AutomationControlled'],
});
let pending = 0;
try {
  context.on('request', () => { pending++; });
  context.on('requestfinished', () => { pending--; });
  context.on('requestfailed', () => { pending--; });
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin !== new URL(base).origin) {
      report.failedRequests.push({ url: request.url(), failure: 'request left the Beacon origin' });
      return;
    }
    if (COLLECTION.test(url.pathname + url.search) || url.pathname.startsWith('/e')) {
      const body = request.postDataBuffer();
      recorded.push({
        method: request.method(),
        url: url.pathname + url.search,
        headers: request.headers(),
        body_base64: body ? body.toString('base64') : null,
        resource_type: request.resourceType(),
      });
    }
  });
  context.on('requestfailed', (request) => {
    const failure = request.failure()?.errorText;
    // A request still in flight when the page navigates is reported as aborted although a keepalive
    // fetch carries on; whether its events arrived is what the ClickHouse assertions check.
    const list = failure === 'net::ERR_ABORTED' ? (report.abortedRequests ??= []) : report.failedRequests;
    list.push({ url: request.url(), failure });
  });
  context.on('response', (response) => {
    const url = new URL(response.url());
    report.requests.push({ method: response.request().method(), path: url.pathname, status: response.status() });
    if (response.status() >= 400) {
      report.badResponses.push({ url: response.url(), status: response.status() });
    }
  });

  const page = context.pages()[0] ?? await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      report.consoleErrors.push(msg.text());
    }
  });
  page.on('pageerror', (error) => report.pageErrors.push(String(error)));
  const loaded = () => page.waitForFunction(() => window.__beaconDemoLoaded === true, null, { timeout: 15000 });

  await page.goto(`${base}/demo/shop/?key=${encodeURIComponent(writeKey)}`);
  await loaded();
  report.anonDistinctId = await page.evaluate(() => window.posthog.get_distinct_id());
  report.sessionId = await page.evaluate(() => window.posthog.get_session_id());
  report.sdkVersion = await page.evaluate(() => window.posthog.version);

  await Promise.all([page.waitForURL('**/product.html?id=mug'), page.click('#product-mug')]);
  await loaded();
  await page.click('#add-to-cart');
  await page.waitForSelector('text=added to your cart');
  await Promise.all([page.waitForURL('**/cart.html'), page.click('#go-to-cart')]);
  await loaded();
  await Promise.all([page.waitForURL('**/checkout.html'), page.click('#checkout')]);
  await loaded();
  await page.fill('#email', 'ada@example.com');
  await page.click('#login');
  await page.waitForSelector('text=Logged in as');
  await page.click('#place-order');
  await page.waitForSelector('text=Thank you!');
  report.userDistinctId = await page.evaluate(() => window.posthog.get_distinct_id());
  report.sessionIdAtEnd = await page.evaluate(() => window.posthog.get_session_id());
  // Closing runs the unload handlers: posthog-js sends $pageleave and the queued events by sendBeacon.
  await page.close({ runBeforeUnload: true });
  // Let the unload beacons finish before the browser goes away: on a loaded machine the gateway can
  // take more than a moment to answer (it answers after Kafka acknowledged). At least 2 s, at most 20 s.
  const closedAt = Date.now();
  while (Date.now() - closedAt < 20000 && (pending > 0 || Date.now() - closedAt < 2000)) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  report.pendingAtClose = pending;
} catch (error) {
  report.error = String(error && error.stack || error);
} finally {
  await context.close().catch(() => {});
  rmSync(userDataDir, { recursive: true, force: true });
}
if (recordFile) {
  writeFileSync(recordFile, JSON.stringify(recorded, null, 2));
}
report.recordedCount = recorded.length;
console.log(JSON.stringify(report));
const failed = report.error || report.consoleErrors.length || report.pageErrors.length
  || report.failedRequests.length || report.badResponses.length;
process.exit(failed ? 1 : 0);
