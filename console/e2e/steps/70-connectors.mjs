// Destinations (CDP connectors): a tiny HTTP receiver started here on 127.0.0.1 (node:http, answers 200, records each
// request with its webhook-* headers); malformed definitions (an ftp:// URL, a rate limit of 0) refused beside their fields
// with nothing created; a webhook destination pointing at the receiver created through the form and listed as the API lists
// it; its secret revealed as GET …/secret has it; "Send test message" from the detail page — the receiver got a request
// whose webhook-id is the message id shown, signed (Standard Webhooks) with the destination's secret, and the page's test
// result and recent-attempts table show it delivered as the delivery log API has it; the stats and live status against the
// API, on the detail page and back in the list; the dead letters and a replay dry run against the API, a malformed DLQ time refused beside `from`; disabled (a
// test message then refused beside the destination), and deleted after a confirmation.
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';

export const name = 'connectors';

const DEADLINE = 120_000;

export async function run({ page, apiCall, apiOk, check, number, shot, expectFieldError, sent }) {
  const sfx = Math.random().toString(36).slice(2, 8);
  const received = [];
  const receiver = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const port = receiver.address().port;
  const hookUrl = `http://127.0.0.1:${port}/hook/${sfx}`;
  const listIds = async () => (await apiOk('/api/v1/destinations')).destinations.map((d) => d.id);
  let id = null;
  try {
    // The list is the API's
    await page.getByTestId('nav-destinations').click();
    await page.locator('[data-testid="destination-table"], [data-testid="destination-empty"]').first().waitFor();
    const before = await listIds();
    check('destinations listed', await page.locator('[data-testid="destination-row"]').evaluateAll((trs) => trs.map((tr) => tr.dataset.id)), before);

    // Malformed: each refused beside its field, nothing created
    await page.getByTestId('destination-new').click();
    const form = page.getByTestId('destination-form');
    await form.waitFor();
    const name = `Console e2e ${sfx}`;
    const body = (over) => ({ name, type: 'webhook', url: hookUrl, rate_limit_per_second: 50, concurrency: 4, enabled: true, subscriptions: [], ...over });
    await form.getByTestId('field-name').fill(name);
    await form.getByTestId('field-type').selectOption('webhook');
    await expectFieldError('/api/v1/destinations', body({ url: 'ftp://x' }), 'url', async () => {
      await form.getByTestId('field-url').fill('ftp://x');
      await form.getByTestId('save-destination').click();
    });
    check('the form sent the URL typed', sent['/api/v1/destinations']?.url, 'ftp://x');
    await expectFieldError('/api/v1/destinations', body({ rate_limit_per_second: 0 }), 'rate_limit_per_second', async () => {
      await form.getByTestId('field-url').fill(hookUrl);
      await form.getByTestId('field-rate-limit').fill('0');
      await form.getByTestId('save-destination').click();
    });
    check('refused destinations created nothing', await listIds(), before);

    // Created through the form: a webhook to the receiver with a header of its own
    await form.getByTestId('field-rate-limit').fill('20');
    await form.getByTestId('add-header').click();
    await form.getByTestId('header-name').fill('X-Beacon-E2e');
    await form.getByTestId('header-value').fill(sfx);
    await form.getByTestId('save-destination').click();
    await page.getByTestId('destination-notice').waitFor();
    const after = await listIds();
    const added = after.filter((x) => !before.includes(x));
    if (added.length !== 1) throw new Error(`one destination should have been created: ${JSON.stringify(added)}`);
    [id] = added;
    const path = `/api/v1/destinations/${encodeURIComponent(id)}`;
    const created = await apiOk(path);
    check('created as the form said', [created.name, created.type, created.url, created.rate_limit_per_second, created.concurrency, created.enabled,
      created.headers, created.subscriptions], [name, 'webhook', hookUrl, 20, 4, true, { 'X-Beacon-E2e': sfx }, []]);
    const row = page.locator(`[data-testid="destination-row"][data-id="${id}"]`);
    await row.waitFor();
    const statusOf = async () => (await apiOk('/api/v1/cdp/status')).destinations.find((d) => d.id === id);
    const liveBefore = await statusOf();
    check('the row shows the API\'s destination', [await row.getByTestId('open-destination').textContent(), await row.getByTestId('cell-type').textContent(),
      await row.getByTestId('cell-host').textContent(), await row.getByTestId('cell-enabled').textContent(), await row.getByTestId('cell-status').textContent(),
      number(await row.getByTestId('cell-version').textContent())],
    [created.name, created.type, `127.0.0.1:${port}`, 'enabled', liveBefore?.status ?? 'idle', created.version]);
    check('every destination listed', await page.locator('[data-testid="destination-row"]').evaluateAll((trs) => trs.map((tr) => tr.dataset.id)), after);

    // The secret: masked in the form, revealed as GET …/secret has it
    await row.getByTestId('open-destination').click();
    await page.getByTestId('destination-summary').waitFor();
    await page.getByTestId('edit-destination').click();
    await page.getByTestId('destination-form').waitFor();
    check('the secret is shown masked', await page.getByTestId('secret').allTextContents(), created.secrets);
    await page.getByTestId('reveal-secret').click();
    await page.getByTestId('hide-secret').waitFor();
    const secrets = (await apiOk(`${path}/secret`)).secrets;
    check('the secret revealed', await page.getByTestId('secret').allTextContents(), secrets);
    await page.getByTestId('cancel-edit').click();
    await page.getByTestId('destination-summary').waitFor();

    // Send test message: the receiver gets it, signed, with the message id the page shows; the page shows it delivered
    await page.getByTestId('send-test').click();
    const messageId = (await page.getByTestId('test-message-id').textContent()).trim();
    check('the test message was posted', sent[`${path}/test`], {});
    const hit = await until('the receiver got the test message', async () => received.find((r) => r.headers['webhook-id'] === messageId) ?? null);
    const signed = `${messageId}.${hit.headers['webhook-timestamp']}.${hit.body}`;
    const expected = secrets.map((s) => `v1,${createHmac('sha256', Buffer.from(s.slice('whsec_'.length), 'base64')).update(signed).digest('base64')}`);
    check('the receiver got it at the destination\'s URL with its header', [hit.method, hit.url, hit.headers['x-beacon-e2e'], JSON.parse(hit.body).type],
      ['POST', `/hook/${sfx}`, sfx, 'test.message']);
    check('signed with the destination\'s secret', hit.headers['webhook-signature'].split(' ').some((sig) => expected.includes(sig)), true);
    await page.locator('[data-testid="test-result"][data-state="delivered"]').waitFor({ timeout: DEADLINE });
    const logged = (await apiOk(`${path}/attempts?limit=20&message_id=${encodeURIComponent(messageId)}`)).attempts;
    check('the test result shows the logged attempt', await page.getByTestId('test-outcome').textContent(), logged[0].outcome);
    const attemptRow = page.locator(`[data-testid="attempt-row"][data-message="${messageId}"]`).first();
    await attemptRow.waitFor();
    check('recent attempts show it delivered', [await attemptRow.getByTestId('cell-outcome').textContent(), number(await attemptRow.getByTestId('cell-status').textContent()),
      number(await attemptRow.getByTestId('cell-attempt').textContent()), await attemptRow.getByTestId('cell-type').textContent()],
    ['delivered', 200, logged[0].attempt, logged[0].type]);
    check('every recent attempt listed', await page.locator('[data-testid="attempt-row"]').evaluateAll((trs) => trs.map((tr) => `${tr.dataset.message}/${tr.dataset.attempt}`)),
      (await apiOk(`${path}/attempts?limit=50`)).attempts.map((a) => `${a.message_id}/${a.attempt}`));
    const stats = await apiOk(`${path}/stats?window=24h`);
    check('the stats shown are the API\'s', [await page.getByTestId('stat-success').textContent(), number(await page.getByTestId('stat-messages').textContent()),
      number(await page.getByTestId('stat-delivered').textContent()), number(await page.getByTestId('stat-attempts').textContent())],
    [`${(stats.success_rate * 100).toFixed(1)}%`, stats.messages, stats.delivered, stats.attempts]);
    check('the live status is the node\'s', await page.getByTestId('live-status').textContent(), (await statusOf())?.status ?? 'idle');
    await page.getByTestId('outcome-chart').locator('canvas').first().waitFor();
    await shot('connectors-detail');

    // Back in the list: the row's 24 h stats and live status are the API's
    await page.getByRole('link', { name: 'All destinations' }).click();
    await row.getByTestId('cell-success').filter({ hasText: '%' }).waitFor();
    const all = (await apiOk('/api/v1/destinations/stats?window=24h')).destinations.find((d) => d.destination_id === id);
    const ms = (v) => `${Math.round(v)} ms`;
    check('the row shows the API\'s stats', [number(await row.getByTestId('cell-attempts').textContent()), await row.getByTestId('cell-success').textContent(),
      await row.getByTestId('cell-latency').textContent(), await row.getByTestId('cell-status').textContent()],
    [all.attempts, `${(all.success_rate * 100).toFixed(1)}%`, `${ms(all.latency_ms.p50)} / ${ms(all.latency_ms.p95)} / ${ms(all.latency_ms.p99)}`,
      (await statusOf())?.status ?? 'idle']);
    await shot('connectors-list');
    await row.getByTestId('open-destination').click();
    await page.getByTestId('destination-summary').waitFor();

    // Dead letters: the list and a replay dry run are the API's; a malformed time is refused beside `from`
    await page.locator('[data-testid="dlq-table"], [data-testid="dlq-empty"]').first().waitFor();
    const since = new Date(Date.now() - 7 * 86_400_000).toISOString();
    const letters = (await apiOk(`/api/v1/cdp/dlq?destination=${encodeURIComponent(id)}&from=${encodeURIComponent(since)}&limit=100`)).dead_letters;
    check('dead letters shown', await page.locator('[data-testid="dlq-row"]').evaluateAll((trs) => trs.map((tr) => tr.dataset.message)),
      letters.map((l) => l.message_id));
    await page.getByTestId('replay-plan').click();
    await page.getByTestId('replay-confirm').waitFor();
    const plan = await apiOk('/api/v1/cdp/dlq/replay', { destination: id, dry_run: true, from: since, force: false });
    check('the replay dry run', [number(await page.getByTestId('replay-selected').textContent()), number(await page.getByTestId('replay-to-replay').textContent())],
      [plan.selected, plan.to_replay]);
    check('the dry run sent the filter shown', [sent['/api/v1/cdp/dlq/replay']?.destination, sent['/api/v1/cdp/dlq/replay']?.dry_run], [id, true]);
    await page.getByTestId('dlq-range').selectOption('custom');
    await page.getByTestId('dlq-from').fill('yesterday');
    const to = await page.getByTestId('dlq-to').inputValue();
    await expectFieldError(`/api/v1/cdp/dlq?destination=${encodeURIComponent(id)}&from=yesterday&to=${encodeURIComponent(to)}&limit=100`, undefined, 'from',
      () => page.getByTestId('dlq-apply').click());

    // Disabled: a test message is then refused beside the destination; then deleted after a confirmation
    await page.getByTestId('toggle-enabled').click();
    await page.getByTestId('summary-enabled').filter({ hasText: 'disabled' }).waitFor();
    const disabled = await apiOk(path);
    check('disabled in the API', [disabled.enabled, disabled.version], [false, created.version + 1]);
    await expectFieldError(`${path}/test`, {}, 'id', () => page.getByTestId('send-test').click());
    await page.getByTestId('delete-destination').click();
    await page.getByTestId('delete-confirm').waitFor();
    check('not deleted before the confirmation', (await apiCall(path)).status, 200);
    await page.getByTestId('confirm-delete').click();
    await page.getByTestId('destination-notice').filter({ hasText: 'Deleted' }).waitFor();
    check('deleted', [(await apiCall(path)).status, await page.locator(`[data-testid="destination-row"][data-id="${id}"]`).count()], [404, 0]);
  } finally {
    if (id) {
      const current = await apiCall(`/api/v1/destinations/${encodeURIComponent(id)}`);
      if (current.status === 200) await apiOk(`/api/v1/destinations/${encodeURIComponent(id)}?version=${current.json.version}`, undefined, 'DELETE');
    }
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  }
}

/** Asks `probe` every 500 ms until it answers something other than null, or fails after the deadline. */
async function until(what, probe) {
  const end = Date.now() + DEADLINE;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${DEADLINE / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
