// Audiences: a cohort built with the rule builder (persons who did the most frequent event ≥ 2 times in the last 7
// calendar days AND a trait the most of them share, both derived from the data through the SQL API), refused first
// for a bad regex in its trait (beside definition.and[1].trait) and for an empty name (beside name) with nothing
// saved; its size and first members page against the API, the CSV export (a Playwright download) against the API's
// members, the list's size column; a realtime segment (the most frequent event ≥ 1 time in 24 h) built in the builder,
// its JSON view, a sequence typed into it refused beside rule.sequence with nothing saved; the segment listed as the
// API lists it, its members (a visitor of the step's own, sent through the gateway, enters it) and size over time
// against the API's, a versioned edit caught in a conflict; both deleted after their confirmation. Everything the
// step creates carries a random suffix and is deleted at the end.
import { readFileSync } from 'node:fs';

export const name = 'audiences';

export async function run({ page, base, project, apiCall, apiOk, check, number, shot, expectFieldError, sent }) {
  const sfx = Math.random().toString(36).slice(2, 8);
  const created = [];
  const sql = async (text) => (await apiOk('/api/v1/sql', { sql: text })).rows;
  const byText = (a, b) => a.localeCompare(b);
  // rule JSON compared regardless of key order (the builder writes keys in the order they were edited)
  const canon = (v) => (Array.isArray(v) ? v.map(canon) : v && typeof v === 'object'
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon(v[k])])) : v);
  try {
    // What to build from: the most frequent event of the last 7 days, and the trait value most of its repeat doers share
    const [[event]] = await sql(`SELECT event_name, count() AS n FROM events WHERE event_time >= now() - INTERVAL 7 DAY
      GROUP BY event_name ORDER BY n DESC, event_name LIMIT 1`);
    const quoted = `'${event.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    const traits = await sql(`SELECT key, value, count() AS n FROM persons WHERE key != 'email' AND resolved_person_id IN (
      SELECT resolved_person_id FROM events WHERE event_name = ${quoted} AND event_time >= now() - INTERVAL 6 DAY
      GROUP BY resolved_person_id HAVING count() >= 2) GROUP BY key, value HAVING n >= 2 ORDER BY n DESC, key, value LIMIT 1`);
    if (traits.length === 0) throw new Error(`no trait is shared by persons who did ${event} twice this week`);
    const [[traitName, traitText]] = traits;
    const traitValue = /^-?(0|[1-9]\d*)(\.\d+)?$/.test(traitText) ? Number(traitText) : traitText;

    // ---- the cohort -----------------------------------------------------------------------------------------------
    const cohortsBefore = (await apiOk('/api/v1/cohorts')).cohorts.map((c) => c.id).sort(byText);
    await page.getByTestId('nav-cohorts').click();
    await page.locator('[data-testid="cohort-table"], [data-testid="cohort-empty"]').first().waitFor();
    check('cohorts listed', (await page.locator('[data-testid="cohort-row"]').evaluateAll((trs) => trs.map((tr) => tr.dataset.id))).sort(byText),
      cohortsBefore);
    await page.getByTestId('cohort-new').click();
    const form = page.getByTestId('cohort-form');
    const cohortName = `E2E repeat ${event} ${sfx}`;
    await form.getByTestId('field-name').fill(cohortName);
    const first = form.locator('[data-testid="rule-node"][data-path="definition.and[0]"]');
    await first.getByTestId('rule-event').fill(event);
    await first.getByTestId('rule-value').fill('2');
    await first.getByTestId('rule-window').selectOption('days');
    await first.getByTestId('rule-days').fill('7');
    await form.locator('[data-testid="rule-node"][data-path="definition"]').getByTestId('rule-add').last().selectOption('trait');
    const second = form.locator('[data-testid="rule-node"][data-path="definition.and[1]"]');
    await second.getByTestId('rule-trait-name').fill(traitName);
    await second.getByTestId('rule-trait-op').selectOption('regex');
    await second.getByTestId('rule-trait-value').fill('((');
    const countNode = { event_count: { event, days: 7, op: 'gte', value: 2 } };
    const badBody = { name: cohortName, type: 'dynamic', definition: { and: [countNode, { trait: { name: traitName, op: 'regex', value: '((' } }] } };

    // Malformed: a regex ClickHouse cannot read, then an empty name; both refused beside their field, nothing saved
    await expectFieldError('/api/v1/cohorts', badBody, 'definition.and[1].trait', () => form.getByTestId('save').click());
    check('the refused cohort the console sent', canon(sent['/api/v1/cohorts']), canon(badBody));
    await second.getByTestId('rule-trait-op').selectOption('eq');
    await second.getByTestId('rule-trait-value').fill(traitText);
    const goodDefinition = { and: [countNode, { trait: { name: traitName, op: 'eq', value: traitValue } }] };
    await form.getByTestId('field-name').fill('');
    await expectFieldError('/api/v1/cohorts', { name: '', type: 'dynamic', definition: goodDefinition }, 'name', () => form.getByTestId('save').click());
    check('refused cohorts saved nothing', (await apiOk('/api/v1/cohorts')).cohorts.map((c) => c.id).sort(byText), cohortsBefore);

    await form.getByTestId('field-name').fill(cohortName);
    await form.getByTestId('save').click();
    await page.waitForURL(/\/cohorts\/(?!new)[^/]+$/);
    const cohortId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
    created.push(`/api/v1/cohorts/${encodeURIComponent(cohortId)}`);
    const cohortPath = `/api/v1/cohorts/${encodeURIComponent(cohortId)}`;
    check('the cohort the console sent', canon(sent['/api/v1/cohorts']), canon({ name: cohortName, type: 'dynamic', definition: goodDefinition }));
    check('the stored definition', canon((await apiOk(cohortPath)).definition), canon(goodDefinition));

    // Size and the first members page: the API's (asked before and after reading the page; a live trickle moving
    // the answer in between reloads the page)
    await settled(page, () => apiOk(`${cohortPath}/count`).then((r) => r.count), async () => {
      await page.getByTestId('cohort-size').filter({ hasNotText: '…' }).waitFor();
      return number(await page.getByTestId('cohort-size').textContent());
    }, (shown, api) => check('cohort size', shown, api));
    const count = (await apiOk(`${cohortPath}/count`)).count;
    if (count < 1) throw new Error(`the cohort should have members: ${count}`);
    await settled(page, () => apiOk(`${cohortPath}/members?offset=0&limit=50`).then((r) => r.persons), async () => {
      await page.locator('[data-testid="members-table"], [data-testid="members-empty"]').first().waitFor();
      return page.getByTestId('cell-person').allTextContents();
    }, (shown, api) => check('cohort members, first page', shown, api));

    // The CSV export: a download of every member, the API's ids
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const csv = readFileSync(await download.path(), 'utf8').split('\n').filter((l) => l !== '');
    const apiCsv = (await apiCall(`${cohortPath}/members.csv`)).json.split('\n').filter((l) => l !== '');
    check('CSV header', csv[0], 'person_id');
    check('CSV ids are the API members', csv.slice(1), apiCsv.slice(1));
    await page.getByTestId('cohort-notice').waitFor();
    await shot('cohort');

    // The list shows it with its size
    await page.getByTestId('back-to-list').click();
    const row = page.locator(`[data-testid="cohort-row"][data-id="${cohortId}"]`);
    await row.getByTestId('cell-size').filter({ hasNotText: '…' }).waitFor();
    check('listed cohort size', number(await row.getByTestId('cell-size').textContent()), (await apiOk(`${cohortPath}/count`)).count);

    // Delete after the confirmation
    await row.getByTestId('cell-name').locator('a').click();
    await page.getByTestId('delete').click();
    await page.getByTestId('delete-confirm').waitFor();
    check('cohort kept until confirmed', (await apiCall(cohortPath)).status, 200);
    await page.getByTestId('confirm-delete').click();
    await page.waitForURL(/\/cohorts$/);
    check('deleted cohort is gone', (await apiCall(cohortPath)).status, 404);
    created.splice(created.indexOf(cohortPath), 1);

    // A static cohort: a rule materialized into a stored member list
    await page.getByTestId('cohort-new').click();
    await form.getByTestId('field-name').fill(`E2E static ${event} ${sfx}`);
    await form.getByTestId('field-type').selectOption('static');
    const only = form.locator('[data-testid="rule-node"][data-path="definition.and[0]"]');
    await only.getByTestId('rule-event').fill(event);
    await only.getByTestId('rule-value').fill('2');
    await form.getByTestId('save').click();
    await page.waitForURL(/\/cohorts\/(?!new)[^/]+$/);
    const staticPath = `/api/v1/cohorts/${new URL(page.url()).pathname.split('/').pop()}`;
    created.push(staticPath);
    check('the static cohort the console sent', canon(sent['/api/v1/cohorts']), canon({ name: `E2E static ${event} ${sfx}`, type: 'static',
      definition: { and: [{ event_count: { event, window: '7d', op: 'gte', value: 2 } }] } }));
    await page.getByTestId('members-empty').waitFor();
    await page.getByTestId('materialize').click();
    await page.getByTestId('cohort-notice').waitFor();
    const materialized = await apiOk(`${staticPath}/count`);
    check('materialized members (notice)', number(/Materialized ([\d,]+) members/.exec(await page.getByTestId('cohort-notice').textContent())?.[1]),
      materialized.count);
    await page.getByTestId('cohort-size').filter({ hasNotText: '…' }).waitFor();
    check('static cohort size', number(await page.getByTestId('cohort-size').textContent()), materialized.count);
    await page.getByTestId('members-table').waitFor();
    check('static cohort members, first page', await page.getByTestId('cell-person').allTextContents(),
      (await apiOk(`${staticPath}/members?offset=0&limit=50`)).persons);
    await apiCall(staticPath, undefined, 'DELETE');
    created.splice(created.indexOf(staticPath), 1);

    // ---- the realtime segment -------------------------------------------------------------------------------------
    const segmentsBefore = (await apiOk('/api/v1/segments')).segments.map((s) => s.id).sort(byText);
    await page.getByTestId('nav-segments').click();
    await page.locator('[data-testid="segment-table"], [data-testid="segment-empty"]').first().waitFor();
    await page.getByTestId('segment-new').click();
    const sform = page.getByTestId('segment-form');
    const segmentName = `E2E active ${event} ${sfx}`;
    await sform.getByTestId('field-name').fill(segmentName);
    const cond = sform.locator('[data-testid="rule-node"][data-path="rule.and[0]"]');
    await cond.getByTestId('rule-event').fill(event);
    await cond.getByTestId('rule-window').selectOption('24h');
    await cond.getByTestId('rule-value').fill('1');
    const rule = { and: [{ event_count: { event, window: '24h', op: 'gte', value: 1 } }] };
    await sform.getByTestId('rule-view-json').click();
    check('the JSON view shows the built rule', canon(JSON.parse(await sform.getByTestId('rule-json').inputValue())), canon(rule));

    // Malformed: a sequence, which only cohorts evaluate, typed into the JSON view
    const sequence = { sequence: { first: { event }, then: { event }, within: 'PT1H', window: '24h' } };
    await sform.getByTestId('rule-json').fill(JSON.stringify(sequence));
    await expectFieldError('/api/v1/segments', { name: segmentName, rule: sequence }, 'rule.sequence', () => sform.getByTestId('save').click());
    await sform.getByTestId('rule-view-builder').click();
    await sform.locator('.field-error[data-field="rule.sequence"]').waitFor();
    check('the builder marks the sequence as cohorts-only', await sform.getByTestId('rule-refused').count(), 1);
    check('the refused segment saved nothing', (await apiOk('/api/v1/segments')).segments.map((s) => s.id).sort(byText), segmentsBefore);

    await sform.getByTestId('rule-view-json').click();
    await sform.getByTestId('rule-json').fill(JSON.stringify(rule));
    await sform.getByTestId('rule-view-builder').click();
    check('the builder reads the JSON back', await sform.locator('[data-testid="rule-node"][data-path="rule.and[0]"]').getByTestId('rule-event').inputValue(), event);
    await sform.getByTestId('save').click();
    await page.waitForURL(/\/segments\/(?!new)[^/]+$/);
    const segmentId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
    const segmentPath = `/api/v1/segments/${encodeURIComponent(segmentId)}`;
    created.push(segmentPath);
    check('the segment the console sent', canon(sent['/api/v1/segments']), canon({ name: segmentName, rule }));

    // A visitor of the step's own does the event through the gateway: the engine enters it into the segment
    const visitor = `e2e-audiences-${sfx}`;
    const res = await fetch(`${base}/v1/track`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Beacon-Write-Key': project.write_key },
      body: JSON.stringify({ event, anonymousId: visitor, messageId: `e2e-audiences-${sfx}` }),
    });
    if (res.status !== 200) throw new Error(`the gateway refused the visitor's event: ${res.status} ${await res.text()}`);
    await until(`${visitor} enters the segment`, async () => (await apiOk(`${segmentPath}/members?limit=1000`)).members.includes(visitor));
    await page.reload();

    // Its page: members and size over time, the engine's
    await page.getByTestId('stats-range').waitFor();
    await settled(page, () => apiOk(`${segmentPath}/members?limit=50`).then((r) => r.members), async () => {
      await page.locator('[data-testid="members-table"], [data-testid="members-empty"]').first().waitFor();
      return page.getByTestId('cell-person').allTextContents();
    }, (shown, api) => check('segment members', shown, api));
    const box = page.getByTestId('segment-stats');
    const [from, to] = [await box.getAttribute('data-from'), await box.getAttribute('data-to')];
    const stats = await apiOk(`${segmentPath}/stats?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    check('segment size over time (hourly)', JSON.parse(await box.getAttribute('data-hourly')), stats.hourly.map((h) => h.size));
    check('segment size now', number(await page.getByTestId('segment-size').textContent()), stats.size);
    if (!(stats.size >= 1)) throw new Error(`the visitor should be a member: ${JSON.stringify(stats)}`);
    await shot('segment');

    // Listed as the API lists it
    await page.getByTestId('back-to-list').click();
    await page.locator(`[data-testid="segment-row"][data-id="${segmentId}"]`).waitFor();
    const listed = (await apiOk('/api/v1/segments')).segments;
    check('segments listed', await page.locator('[data-testid="segment-row"]').evaluateAll((trs) => trs.map((tr) => [tr.dataset.id,
      tr.querySelector('[data-testid="cell-name"]').textContent.trim(), Number(tr.querySelector('[data-testid="cell-version"]').textContent.replace(/,/g, ''))])),
    listed.map((s) => [s.id, s.name, s.version]));

    // A versioned edit caught in a conflict: saved elsewhere while the page is open
    await page.locator(`[data-testid="segment-row"][data-id="${segmentId}"]`).getByTestId('cell-name').locator('a').click();
    await page.getByTestId('segment-form').waitFor();
    const v1 = await apiOk(segmentPath);
    const v2 = await apiOk(segmentPath, { name: v1.name, description: 'changed elsewhere', rule: v1.rule, version: v1.version }, 'PUT');
    await page.getByTestId('segment-form').getByTestId('field-description').fill('mine');
    await expectFieldError(segmentPath, { name: v1.name, description: 'mine', rule: v1.rule, version: v1.version }, 'version',
      () => page.getByTestId('segment-form').getByTestId('save').click(), { method: 'PUT', status: 409 });
    await page.getByTestId('reload').click();
    await page.getByTestId('segment-version').filter({ hasText: String(v2.version) }).waitFor();
    check('conflict reload shows the current version', await page.getByTestId('segment-form').getByTestId('field-description').inputValue(),
      'changed elsewhere');

    // Delete (with the version) after the confirmation
    await page.getByTestId('delete').click();
    await page.getByTestId('delete-confirm').waitFor();
    await page.getByTestId('confirm-delete').click();
    await page.waitForURL(/\/segments$/);
    check('deleted segment is gone', (await apiCall(segmentPath)).status, 404);
    created.splice(created.indexOf(segmentPath), 1);
  } finally {
    for (const path of created) {
      const current = await apiCall(path);
      if (current.status === 200) await apiCall(path.startsWith('/api/v1/segments') ? `${path}?version=${current.json.version}` : path, undefined, 'DELETE');
    }
  }
}

/** Polls `probe` every 500 ms until it answers truthy (at most 60 s). */
async function until(what, probe) {
  const end = Date.now() + 60_000;
  while (Date.now() < end) {
    if (await probe()) return;
    await new Promise((resolve) => { setTimeout(resolve, 500); });
  }
  throw new Error(`timed out waiting until ${what}`);
}

/**
 * Checks what the page shows against the API, asked before and after reading it: when the two answers differ (live
 * data moved in between) the page is reloaded and read again, at most three times.
 */
async function settled(page, askApi, readPage, compare) {
  for (let attempt = 1; ; attempt++) {
    const before = await askApi();
    const shown = await readPage();
    const after = await askApi();
    if (JSON.stringify(before) === JSON.stringify(after) || attempt === 3) {
      compare(shown, after);
      return;
    }
    await page.reload();
  }
}
