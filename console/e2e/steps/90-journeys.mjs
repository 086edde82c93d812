// Journeys: the list against GET /api/v1/journeys (status, journey version, priority, entered and active from each
// journey's GET …/stats); malformed JSON in the editor answered beside it with no request; an invalid graph (a dangling
// next) refused by POST …/validate with every problem beside the editor under its field, the first as the API says it; the
// template saved as a draft and listed as the API lists it; made live, its graph edited (a delay's duration) with a step
// mapping, which publishes journey version 2, and the version selector lists 1 and 2; per version the step table's
// reached and in-flight runs against GET …/stats?version=n (the engine runs no journey yet, so these are zeros); paused
// and archived as the API has it; a person's Journeys section as GET /api/v1/persons/{id}/journeys has it.
export const name = 'journeys';

// the steps in BFS order from the entry (next, timeout_next, then, else, branches), as the canvas lays them out
function bfsOrder(def) {
  const next = (s) => [s.next, s.timeout_next, s.then, s.else, ...(s.branches || []).map((b) => b.next)].filter((x) => typeof x === 'string');
  const seen = new Set([def.entry]);
  const order = [];
  const queue = [def.entry];
  while (queue.length > 0) {
    const id = queue.shift();
    order.push(id);
    for (const to of next(def.steps[id])) if (def.steps[to] && !seen.has(to)) { seen.add(to); queue.push(to); }
  }
  return order;
}

export async function run({ page, base, apiCall, apiOk, check, number, shot, expectFieldError, sent }) {
  const listed = async () => (await apiOk('/api/v1/journeys')).journeys;
  const row = (id) => page.locator(`[data-testid="journey-row"][data-id="${id}"]`);
  const json = page.getByTestId('journey-json');

  // The list is the API's
  await page.getByTestId('nav-journeys').click();
  await page.locator('[data-testid="journey-table"], [data-testid="journey-empty"]').first().waitFor();
  const before = await listed();
  check('journeys listed', await page.locator('[data-testid="journey-row"]').evaluateAll((trs) => trs.map((tr) => tr.dataset.id)), before.map((j) => j.id));

  // New journey: the editor starts from a valid template
  await page.getByTestId('journey-new').click();
  await page.getByTestId('journey-editor').waitFor();
  const template = JSON.parse(await json.inputValue());
  check('the template has no send step (no destination needed)', Object.values(template.steps).some((s) => s.type === 'send'), false);

  // Malformed JSON: said beside the editor, nothing sent
  await json.fill('{"name": "half');
  await page.getByTestId('journey-validate').click();
  const jsonError = page.getByTestId('json-error');
  await jsonError.waitFor();
  check('malformed JSON is answered beside the editor', (await jsonError.textContent()).trim().startsWith('Not valid JSON'), true);
  check('malformed JSON sends nothing', sent['/api/v1/journeys/validate'] ?? null, null);

  // A dangling next: every problem the API lists, beside the editor under its field
  const dangling = structuredClone(template);
  dangling.steps.cool_down.next = 'nowhere';
  const asked = await apiCall('/api/v1/journeys/validate', dangling);
  if (asked.status !== 400) throw new Error(`a dangling next should be refused: ${asked.status} ${JSON.stringify(asked.json)}`);
  const refusal = await expectFieldError('/api/v1/journeys/validate', dangling, asked.json.error.field, async () => {
    await json.fill(JSON.stringify(dangling, null, 2));
    await page.getByTestId('journey-validate').click();
  });
  check('the validate request the editor sent', sent['/api/v1/journeys/validate'], dangling);
  check('the dangling step is named', refusal.field, 'steps.cool_down.next');
  // the first problem with the error's own message (what the API puts in error.message), the others as errors lists them
  const apiProblems = (refusal.errors && refusal.errors.length > 0 ? refusal.errors : [refusal])
    .map((e, i) => (i === 0 && e.field === refusal.field ? [e.field, refusal.message] : [e.field, e.message]));
  check('every problem beside the editor', await page.getByTestId('journey-problem').evaluateAll((ps) => ps.map((p) => {
    const e = p.querySelector('.field-error');
    return [e.dataset.field, e.textContent.trim()];
  })), apiProblems);
  await shot('journey-editor');

  // The valid template: "valid", then saved as a draft
  await json.fill(JSON.stringify(template, null, 2));
  await page.getByTestId('journey-validate').click();
  await page.getByTestId('validate-ok').waitFor();
  check('the template as validated', sent['/api/v1/journeys/validate'], template);
  const [created] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/journeys' && r.request().method() === 'POST'),
    page.getByTestId('journey-save').click(),
  ]);
  check('created', created.status(), 201);
  const id = (await created.json()).id;
  await page.waitForURL(/\/journeys\?/);
  await row(id).waitFor();
  const after = await listed();
  check('journeys listed after the save', await page.locator('[data-testid="journey-row"]').evaluateAll((trs) => trs.map((tr) => tr.dataset.id)), after.map((j) => j.id));
  const mine = after.find((j) => j.id === id);
  check('the saved journey is a draft', mine.status, 'draft');
  const allStats = await apiOk(`/api/v1/journeys/${encodeURIComponent(id)}/stats`);
  check('its row: status, journey version, priority, entered, active', [
    (await row(id).getByTestId('cell-status').textContent()).trim(), number(await row(id).getByTestId('cell-journey-version').textContent()),
    number(await row(id).getByTestId('cell-priority').textContent()), number(await row(id).getByTestId('cell-entered').textContent()),
    number(await row(id).getByTestId('cell-active').textContent())],
  [mine.status, mine.journey_version, mine.priority, allStats.entered, allStats.active]);
  await shot('journeys-list');

  // Go live
  await row(id).getByTestId('open-journey').click();
  await page.waitForURL(new RegExp(`/journeys/${id}$`));
  const status = page.getByTestId('journey-status');
  await status.filter({ hasText: 'draft' }).waitFor();
  await page.getByTestId('go-live').click();
  await status.filter({ hasText: 'live' }).waitFor();
  check('the status the page sent', sent[`/api/v1/journeys/${id}/status`]?.status, 'live');
  check('live as the API has it', (await apiOk(`/api/v1/journeys/${encodeURIComponent(id)}`)).status, 'live');

  // Edit the live graph (a delay's duration) with a step mapping: journey version 2
  await page.getByTestId('journey-edit').click();
  await page.waitForURL(new RegExp(`/journeys/${id}/edit$`));
  await page.waitForFunction(() => (document.querySelector('[data-testid="journey-json"]')?.value || '').length > 0);
  const current = await apiOk(`/api/v1/journeys/${encodeURIComponent(id)}`);
  const { project_id: _p, version: docVersion, updated_at: _u, ...doc } = current;
  const prefilled = JSON.parse(await json.inputValue());
  check('the editor holds the stored document', prefilled, doc);
  prefilled.steps.cool_down.duration = 'PT6H';
  await json.fill(JSON.stringify(prefilled, null, 2));
  await page.getByTestId('journey-mapping').fill('{"cool_down": "cool_down"}');
  await page.getByTestId('journey-save').click();
  await page.waitForURL(new RegExp(`/journeys/${id}(\\?.*)?$`));
  await page.getByTestId('journey-version').filter({ hasText: '2' }).waitFor();
  check('the edit the page sent', sent[`/api/v1/journeys/${id}`], { ...prefilled, step_mapping: { cool_down: 'cool_down' }, version: docVersion });
  const v2 = await apiOk(`/api/v1/journeys/${encodeURIComponent(id)}`);
  check('journey version 2 as the API has it', [v2.journey_version, v2.steps.cool_down.duration], [2, 'PT6H']);
  const versions = (await apiOk(`/api/v1/journeys/${encodeURIComponent(id)}/versions`)).versions;
  check('the versions the API published', versions.map((v) => v.journey_version), [1, 2]);
  const select = page.getByTestId('version-select');
  check('the version selector', await select.locator('option').evaluateAll((os) => os.map((o) => Number(o.value))), versions.map((v) => v.journey_version));

  // Per version: the step table's figures are GET …/stats?version=n (zeros until the engine runs journeys)
  const stepRows = page.getByTestId('journey-step');
  for (const n of [2, 1]) {
    await select.selectOption(String(n));
    // the table carries the version of the figures it shows, once they are in
    await page.locator(`[data-testid="journey-steps"][data-version="${n}"]`).waitFor();
    const published = versions.find((v) => v.journey_version === n);
    const stats = await apiOk(`/api/v1/journeys/${encodeURIComponent(id)}/stats?version=${n}`);
    const order = bfsOrder(published);
    check(`version ${n}: steps in graph order`, await stepRows.evaluateAll((trs) => trs.map((tr) => tr.dataset.step)), order);
    check(`version ${n}: type, reached and in flight per step`, await stepRows.evaluateAll((trs) => trs.map((tr) => [
      tr.querySelector('[data-testid="cell-type"]').textContent.trim(), Number(tr.querySelector('[data-testid="cell-reached"]').textContent.replace(/,/g, '')),
      Number(tr.querySelector('[data-testid="cell-in-flight"]').textContent.replace(/,/g, ''))])),
    order.map((s) => [published.steps[s].type, stats.steps?.[s]?.reached ?? 0, stats.in_flight?.[s] ?? 0]));
    check(`version ${n}: entered, active, converted`, [number(await page.getByTestId('stat-entered').textContent()),
      number(await page.getByTestId('stat-active').textContent()), number(await page.getByTestId('stat-converted').textContent())],
    [stats.entered, stats.active, stats.converted]);
    check(`version ${n}: exits by reason`, await page.locator('[data-testid="exit-reason"]').evaluateAll((trs) => trs.map((tr) => tr.dataset.reason)),
      Object.keys(stats.exited));
  }
  check('version 1 keeps the 12-hour delay', versions[0].steps.cool_down.duration, 'PT12H');
  await select.selectOption('2');
  await page.getByTestId('journey-canvas').locator('canvas').first().waitFor();
  await page.getByTestId('journey-funnel').locator('canvas').first().waitFor();
  await page.getByTestId('journey-canvas').scrollIntoViewIfNeeded();
  await shot('journey-canvas');

  // Pause, then archive
  await page.getByTestId('pause').click();
  await status.filter({ hasText: 'paused' }).waitFor();
  check('paused as the API has it', (await apiOk(`/api/v1/journeys/${encodeURIComponent(id)}`)).status, 'paused');
  await page.getByTestId('archive').click();
  await status.filter({ hasText: 'archived' }).waitFor();
  check('archived as the API has it', (await apiOk(`/api/v1/journeys/${encodeURIComponent(id)}`)).status, 'archived');
  check('an archived journey offers no edit', await page.getByTestId('journey-edit').count(), 0);

  // A person's journeys: what GET /api/v1/persons/{id}/journeys says (no runs until the engine runs journeys)
  const person = String((await apiOk('/api/v1/sql', { sql: "SELECT resolved_person_id FROM events WHERE resolved_person_id != '' ORDER BY event_time_ms DESC LIMIT 1" })).rows[0][0]);
  const runs = (await apiOk(`/api/v1/persons/${encodeURIComponent(person)}/journeys`)).runs;
  await page.goto(`${base}/people/${encodeURIComponent(person)}`);
  const section = page.getByTestId('person-journeys');
  await section.locator('[data-testid="person-journeys-empty"], [data-testid="person-journey-run"]').first().waitFor();
  if (runs.length === 0) {
    check('a person without runs: the empty text', (await section.getByTestId('person-journeys-empty').textContent()).trim(), 'No journey runs.');
  } else {
    check('the person\'s runs', await section.getByTestId('person-journey-run').evaluateAll((trs) => trs.map((tr) => [tr.dataset.journey,
      Number(tr.querySelector('[data-testid="run-version"]').textContent), tr.querySelector('[data-testid="run-step"]').textContent.trim()])),
    runs.map((r) => [r.journey_id, r.journey_version, r.step]));
  }
}
