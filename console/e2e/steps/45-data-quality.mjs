// Data quality (GET /api/v1/dq/loss, /counts, /alerts; POST /api/v1/dq/reconcile): a few events of the step's own sent
// through the gateway into the current window, and polled until the API counts them (the collector read past them, the
// sink stored them). The page's default range is the last 24 hours; its window table, row by row, is the API's answer to
// the same range (accepted and stored of the current window first), as are the stage totals and the alerts. The current
// window is not complete (the test platform judges hour windows ten minutes after their end): it is shown as incomplete
// with no alert marker. The current window reconciled through the page: distinct ids, stored and missing as the API
// answers the same request, none of the step's own ids missing. A custom range with `from` after `to`, typed in the
// project's zone: the page sends both ends as instants, and shows the API's message beside `to`.
export const name = 'data-quality';

const DEADLINE = 120_000;
const PROBES = 6;
const LOSS = '/api/v1/dq/loss';
const COUNTS = '/api/v1/dq/counts';
const ALERTS = '/api/v1/dq/alerts';
const RECONCILE = '/api/v1/dq/reconcile';

export async function run({ page, base, project, apiOk, check, number, shot, expectFieldError, sent }) {
  const sfx = Math.random().toString(36).slice(2, 8);
  const probeEvent = `E2E DQ Probe ${sfx}`;
  const length = durationMs((await apiOk(LOSS)).window);
  const windowOf = (ms) => Math.floor(ms / length) * length;

  // The step's own events, all received in one window (sent again under new ids if a window boundary fell between)
  let ids = [];
  let sentAt = 0;
  for (let attempt = 0; ids.length === 0; attempt++) {
    if (attempt === 3) throw new Error('the probe events kept falling on a window boundary');
    const batchIds = Array.from({ length: PROBES }, (_, i) => `e2e-dq-${sfx}-${attempt}-${i}`);
    const before = Date.now();
    const res = await fetch(`${base}/v1/batch`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Beacon-Write-Key': project.write_key },
      body: JSON.stringify({ batch: batchIds.map((id, i) => ({ type: 'track', event: probeEvent, anonymousId: `e2e-dq-${sfx}`, messageId: id,
        properties: { n: i } })) }),
    });
    const after = Date.now();
    const answer = await res.json();
    if (res.status !== 200 || answer.accepted !== PROBES) throw new Error(`the gateway refused the probe events: ${res.status} ${JSON.stringify(answer)}`);
    if (windowOf(before) === windowOf(after)) {
      ids = batchIds;
      sentAt = after;
    }
  }
  const windowStart = windowOf(sentAt);
  const storedSql = `SELECT uniqExact(event_id) FROM events WHERE event_name = '${probeEvent}'`;
  const apiWindow = (loss) => loss.windows.find((w) => Date.parse(w.start) === windowStart) ?? null;
  const since = `from=${new Date(windowStart).toISOString()}`;
  await until('the API counts the probe events (collector past them, sink stored them)', async () => {
    const loss = await apiOk(`${LOSS}?${since}`);
    if (!loss.caught_up_to || Date.parse(loss.caught_up_to) < sentAt) return null;
    const stored = Number((await apiOk('/api/v1/sql', { sql: storedSql })).rows[0][0]);
    if (stored < PROBES && project.mode !== 'strict') return null; // strict mode: the unregistered probe is a dead letter
    return (apiWindow(loss)?.accepted ?? 0) >= PROBES ? loss : null;
  });
  // and until the window's figures stand still (the other steps' events are counted too)
  let last = null;
  await until('the current window\'s figures settle', async () => {
    const w = apiWindow(await apiOk(`${LOSS}?${since}`));
    const same = last !== null && JSON.stringify(w) === JSON.stringify(last);
    last = w;
    return same ? w : null;
  });

  // The page: every read answered for the range the page asked for, compared with the API's answer to the same range
  const responseOf = (path) => page.waitForResponse((r) => new URL(r.url()).pathname === path && r.request().method() === 'GET');
  const rowOf = (start) => page.locator(`[data-testid="dq-window-row"][data-start="${start}"]`);
  const shownRows = () => page.locator('[data-testid="dq-window-row"]').evaluateAll((trs) => trs.map((tr) => {
    const cell = (t) => tr.querySelector(`[data-testid="${t}"]`).textContent.trim();
    return [tr.dataset.start, ...['cell-accepted', 'cell-rejected', 'cell-dead-lettered', 'cell-duplicates', 'cell-written', 'cell-stored', 'cell-lost']
      .map((t) => Number(cell(t).replace(/,/g, ''))), cell('cell-rate'), cell('cell-status'), !!tr.querySelector('[data-testid="alert-marker"]')];
  }));
  const expectedRows = (loss) => [...loss.windows].sort((a, b) => Date.parse(b.start) - Date.parse(a.start)).map((w) => [w.start, w.accepted, w.rejected,
    w.dead_lettered, w.duplicates, w.written, w.stored, w.lost, `${(w.rate * 100).toFixed(2)}%`, w.complete ? 'complete' : 'incomplete', w.alert]);
  const shownStages = async () => Object.fromEntries(await page.getByTestId('dq-stage').evaluateAll((trs) => trs.map((tr) => [tr.dataset.stage,
    Number(tr.querySelector('[data-testid="dq-stage-count"]').textContent.replace(/,/g, ''))])));
  const expectedStages = (counts) => Object.fromEntries(['accepted', 'gateway_rejected', 'dead_lettered', 'duplicate', 'written', 'stored']
    .map((s) => [s, counts.totals[s] ?? 0]));
  const shownAlerts = async () => ((await page.getByTestId('dq-alerts').count()) === 0 ? []
    : page.getByTestId('dq-alert-row').evaluateAll((trs) => trs.map((tr) => [tr.dataset.id, tr.querySelector('[data-testid="cell-severity"]').textContent.trim(),
      tr.querySelector('[data-testid="cell-kind"]').textContent.trim(), tr.querySelector('[data-testid="cell-message"]').textContent.trim()])));
  async function observe(open) {
    const answers = [responseOf(LOSS), responseOf(COUNTS), responseOf(ALERTS)];
    await open();
    const [loss, counts, alerts] = await Promise.all(answers);
    const asked = new URL(loss.url()).searchParams;
    const range = { from: asked.get('from'), to: asked.get('to') };
    for (const other of [counts, alerts]) {
      const p = new URL(other.url()).searchParams;
      if (p.get('from') !== range.from || p.get('to') !== range.to) throw new Error(`the page asked for other ranges: ${loss.url()} / ${other.url()}`);
    }
    await rowOf(apiWindow(await loss.json())?.start ?? '-').waitFor();
    await page.getByTestId('dq-stages').waitFor();
    const q = new URLSearchParams(range).toString();
    const [apiLoss, apiCounts, apiAlerts] = await Promise.all([apiOk(`${LOSS}?${q}`), apiOk(`${COUNTS}?${q}&granularity=window`), apiOk(`${ALERTS}?${q}`)]);
    return {
      range, apiLoss,
      shown: { rows: await shownRows(), stages: await shownStages(), alerts: await shownAlerts() },
      expected: { rows: expectedRows(apiLoss), stages: expectedStages(apiCounts), alerts: apiAlerts.alerts.map((a) => [a.id, a.severity, a.kind, a.message]) },
    };
  }
  // figures that moved between the page's read and the API's (another step's late event) are read again, until the deadline
  const settle = async (first) => {
    let seen = await observe(first);
    const end = Date.now() + DEADLINE;
    while (JSON.stringify(seen.shown) !== JSON.stringify(seen.expected) && Date.now() < end) {
      seen = await observe(() => page.getByTestId('run').click());
    }
    return seen;
  };

  await page.getByTestId('nav-data').click();
  const seen = await settle(() => page.getByTestId('tab-quality').click());
  check('the default range: the last 24 hours', Date.parse(seen.range.to) - Date.parse(seen.range.from), 24 * 3600 * 1000);
  const current = apiWindow(seen.apiLoss);
  const currentRow = rowOf(current.start);
  check('the current window: accepted and stored as the API has them for the same range',
    [number(await currentRow.getByTestId('cell-accepted').textContent()), number(await currentRow.getByTestId('cell-stored').textContent())],
    [current.accepted, current.stored]);
  check('the current window counts the step\'s own events', current.accepted >= PROBES && (project.mode === 'strict' || current.stored >= PROBES), true);
  check('every window, newest first: each stage, lost, rate, status and alert as the API has them', seen.shown.rows, seen.expected.rows);
  check('the current window is incomplete, without an alert marker',
    [await currentRow.getAttribute('data-complete'), (await currentRow.getByTestId('cell-status').textContent()).trim(),
      await currentRow.getByTestId('alert-marker').count()], ['false', 'incomplete', 0]);
  check('the API: the current window is not complete and does not alert', [current.complete, current.alert], [false, false]);
  check('the incomplete windows counted under the chart', number(await page.getByTestId('dq-incomplete-count').textContent()),
    seen.apiLoss.windows.filter((w) => !w.complete).length);
  check('the stage totals of the range', seen.shown.stages, seen.expected.stages);
  check('the alerts of the range, newest first', seen.shown.alerts, seen.expected.alerts);
  check('the window length shown', (await page.getByTestId('dq-window-length').textContent()).trim(), lengthLabel(length));

  // Reconcile the current window through the page: its figures are the API's answer to the same request
  const reconcileOnce = async () => {
    const answer = page.waitForResponse((r) => new URL(r.url()).pathname === RECONCILE && r.request().method() === 'POST');
    await currentRow.getByTestId('reconcile').click();
    const got = await (await answer).json();
    const result = page.locator(`[data-testid="dq-reconcile-result"][data-window="${current.start}"]`);
    await result.waitFor();
    await page.waitForFunction(() => !document.querySelector('[data-testid="dq-window-row"] [data-testid="reconcile"][disabled]'));
    const shown = await Promise.all(['rec-accepted-ids', 'rec-stored', 'rec-missing'].map(async (t) => number(await page.getByTestId(t).textContent())));
    const sample = await page.getByTestId('rec-missing-id').allTextContents();
    const api = await apiOk(RECONCILE, { window: current.start });
    return { got, shown, sample, api };
  };
  let rec = await reconcileOnce();
  const recEnd = Date.now() + DEADLINE;
  while (JSON.stringify(rec.shown) !== JSON.stringify([rec.api.accepted_ids, rec.api.stored, rec.api.missing]) && Date.now() < recEnd) {
    rec = await reconcileOnce();
  }
  check('reconcile asked for the current window', sent[RECONCILE], { window: current.start });
  check('reconciled: distinct ids, stored and missing as the API answers the same request', rec.shown, [rec.api.accepted_ids, rec.api.stored, rec.api.missing]);
  check('the missing ids shown are the page\'s answer', rec.sample, rec.got.missing_sample);
  check('the alert shown', (await page.getByTestId('rec-alert').textContent()).trim(), rec.got.alert ? 'yes' : 'no');
  check('none of the step\'s own (stored) ids is missing', rec.api.missing_sample.filter((id) => ids.includes(id)), []);
  check('the window holds at least the step\'s own ids', rec.api.accepted_ids >= PROBES, true);
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot('data-quality');

  // A custom range typed in the project's zone with `from` after `to`: the API's message beside `to`, nothing left shown
  const minute = (ms) => Math.floor(ms / 60_000) * 60_000;
  const fromMs = minute(Date.now() - 2 * 3600 * 1000);
  const toMs = minute(Date.now() - 5 * 3600 * 1000);
  const expectedAsk = { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() };
  let asked = null;
  await expectFieldError(`${LOSS}?${new URLSearchParams(expectedAsk)}`, undefined, 'to', async () => {
    await page.getByTestId('dq-preset').selectOption('custom');
    await page.getByTestId('dq-from').fill(localMinute(fromMs, project.timezone));
    await page.getByTestId('dq-to').fill(localMinute(toMs, project.timezone));
    const request = page.waitForRequest((r) => new URL(r.url()).pathname === LOSS);
    await page.getByTestId('run').click();
    asked = Object.fromEntries(new URL((await request).url()).searchParams);
  });
  check(`the reversed range the page sent, read in ${project.timezone}`, asked, expectedAsk);
  check('no window is shown for a refused range', await page.getByTestId('dq-windows').count(), 0);
}

/** An ISO-8601 duration of hours/minutes ("PT1H", "PT1M") in ms. */
function durationMs(iso) {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?$/.exec(iso);
  if (!m) throw new Error(`a window length the step does not read: ${iso}`);
  return (Number(m[1] || 0) * 60 + Number(m[2] || 0)) * 60_000;
}

function lengthLabel(ms) {
  return ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : `${ms / 60_000} min`;
}

/** An instant as a datetime-local value ("2026-12-08T10:00") in `zone`, from the zone's offset name ("GMT+05:30"). */
function localMinute(ms, zone) {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(new Date(ms))
    .find((p) => p.type === 'timeZoneName').value;
  const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name);
  if (!m) throw new Error(`an offset the step does not read: ${name}`);
  const offset = m[1] ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 0;
  return new Date(ms + offset).toISOString().slice(0, 16);
}

/** Asks `probe` every second until it answers something other than null, or fails after the deadline. */
async function until(what, probe) {
  const end = Date.now() + DEADLINE;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${DEADLINE / 1000} s`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}
