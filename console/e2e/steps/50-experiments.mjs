// Experiments: malformed experiments refused beside their fields (a bad key, weights not summing to 1, no variations) with
// nothing created; an experiment created through the form (random-suffixed key, 2 variations, a conversion goal on the
// project's most frequent event, read through the SQL API) and listed as the API lists it; exposures for N users through the
// assignment API and goal events for some of them through the gateway, waited for until the results API counts them; the
// results page's exposures, conversions, lift, interval and chance to beat control against the results API; a version conflict
// on the edit page shown beside the version and resolved by loading the current one; the experiment stopped after its
// confirmation. The experiment is deleted at the end.
export const name = 'experiments';

const DEADLINE = 120_000;
const USERS = 60;

export async function run({ page, base, project, apiCall, apiOk, check, number, shot, expectFieldError, sent }) {
  const sfx = Math.random().toString(36).slice(2, 8);
  const key = `e2e-exp-${sfx}`;
  const path = `/api/v1/experiments/${encodeURIComponent(key)}`;
  const listKeys = async () => (await apiOk('/api/v1/experiments')).experiments.map((e) => e.key);
  // the goal: the project's most frequent event of its own (not a $-event of the SDKs or of the experiments)
  const top = await apiOk('/api/v1/sql', { sql: "SELECT event_name, count() AS n FROM events WHERE event_name NOT LIKE '$%' "
    + 'GROUP BY event_name ORDER BY n DESC, event_name LIMIT 1' });
  if (top.rows.length === 0) throw new Error('the project has no event to use as a goal');
  const goal = top.rows[0][0];
  try {
    // The list is the API's
    await page.getByTestId('nav-experiments').click();
    await page.locator('[data-testid="experiment-table"], [data-testid="experiment-empty"]').first().waitFor();
    const before = await listKeys();
    check('experiments listed', await page.locator('[data-testid="experiment-row"]').evaluateAll((trs) => trs.map((tr) => tr.dataset.key)), before);

    // Malformed: each refused beside its field, and nothing is created
    await page.getByTestId('experiment-new').click();
    const form = page.getByTestId('experiment-form');
    await form.waitFor();
    await form.getByTestId('metric-event').first().fill(goal);
    await form.getByTestId('field-name').fill(`Console e2e ${sfx}`);
    const variations = (list) => list.map((v) => ({ key: v[0], ...(v[1] === undefined ? {} : { weight: v[1] }) }));
    await expectFieldError('/api/v1/experiments', { key: `bad key ${sfx}!`, variations: variations([['control'], ['treatment']]) }, 'key', async () => {
      await form.getByTestId('field-key').fill(`bad key ${sfx}!`);
      await form.getByTestId('save-experiment').click();
    });
    check('the form sent the key typed', sent['/api/v1/experiments']?.key, `bad key ${sfx}!`);
    await expectFieldError('/api/v1/experiments', { key, variations: variations([['control', 0.3], ['treatment', 0.3]]) }, 'variations', async () => {
      await form.getByTestId('field-key').fill(key);
      await form.getByTestId('split-weights').check();
      await form.getByTestId('variation-weight').nth(0).fill('0.3');
      await form.getByTestId('variation-weight').nth(1).fill('0.3');
      await form.getByTestId('save-experiment').click();
    });
    check('the form sent the weights typed', sent['/api/v1/experiments']?.variations.map((v) => v.weight), [0.3, 0.3]);
    await expectFieldError('/api/v1/experiments', { key, variations: [] }, 'variations', async () => {
      await form.getByTestId('split-equal').check();
      await form.getByTestId('remove-variation').nth(1).click();
      await form.getByTestId('remove-variation').nth(0).click();
      await form.getByTestId('save-experiment').click();
    });
    check('refused experiments created nothing', [await listKeys(), (await apiCall(path)).status], [before, 404]);

    // Create it through the form: 2 variations, equal split, a conversion goal, running from now on
    for (const [i, v] of ['control', 'treatment'].entries()) {
      await form.getByTestId('add-variation').click();
      await form.getByTestId('variation-key').nth(i).fill(v);
    }
    await form.getByTestId('field-status').selectOption('running');
    await form.getByTestId('metric-type').first().selectOption('conversion');
    await form.getByTestId('save-experiment').click();
    const row = page.locator(`[data-testid="experiment-row"][data-key="${key}"]`);
    await row.waitFor();
    const created = await apiOk(path);
    check('created as the form said', [created.status, created.name, created.variations.map((v) => v.key), created.variations.map((v) => v.weight ?? null),
      created.goal_metrics.map((m) => [m.event, m.type])], ['running', `Console e2e ${sfx}`, ['control', 'treatment'], [null, null], [[goal, 'conversion']]]);
    const listed = (await apiOk('/api/v1/experiments')).experiments.find((e) => e.key === key);
    check('the row shows the API\'s experiment', [await row.getByTestId('cell-name').textContent(), await row.getByTestId('cell-status').textContent(),
      await row.getByTestId('cell-variations').textContent(), await row.getByTestId('cell-goals').textContent(), number(await row.getByTestId('cell-version').textContent())],
    [listed.name, listed.status, listed.variations.map((v) => v.key).join(', '), listed.goal_metrics.map((m) => m.key).join(', '), listed.version]);
    check('every experiment listed', await page.locator('[data-testid="experiment-row"]').evaluateAll((trs) => trs.map((tr) => tr.dataset.key)), await listKeys());
    await shot('experiments');

    // Exposures: N users assigned through the assignment API (this experiment only); then goal events through the gateway
    // for the first third of the control's users and the first half of the treatment's (so both vary and the lift is estimable)
    const byVariation = { control: [], treatment: [] };
    for (let i = 0; i < USERS; i++) {
      const user = `e2e-exp-${sfx}-u${i}`;
      const a = (await apiOk(`/api/v1/assignments?user_id=${encodeURIComponent(user)}&experiment=${encodeURIComponent(key)}`)).assignments[0];
      if (!a?.in_experiment) throw new Error(`${user} is not in ${key}: ${JSON.stringify(a)}`);
      byVariation[a.variation_key].push(user);
    }
    if (byVariation.control.length < 4 || byVariation.treatment.length < 4) throw new Error(`a lopsided split: ${JSON.stringify(byVariation)}`);
    const converting = [...byVariation.control.slice(0, Math.ceil(byVariation.control.length / 3)),
      ...byVariation.treatment.slice(0, Math.ceil(byVariation.treatment.length / 2))];
    const res = await fetch(`${base}/v1/batch`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Beacon-Write-Key': project.write_key },
      body: JSON.stringify({ batch: converting.map((u) => ({ type: 'track', event: goal, userId: u, messageId: `${u}-goal` })) }),
    });
    const accepted = await res.json();
    if (res.status !== 200 || accepted.accepted !== converting.length) throw new Error(`the gateway refused goal events: ${res.status} ${JSON.stringify(accepted)}`);
    const expected = { control: Math.ceil(byVariation.control.length / 3), treatment: Math.ceil(byVariation.treatment.length / 2) };
    const results = await until('the results API counts every exposure and conversion', async () => {
      const r = await apiOk(`${path}/results`);
      const units = Object.fromEntries(r.units.map((u) => [u.variation, u.units]));
      const conversions = Object.fromEntries(r.goals[0].variations.map((v) => [v.variation, v.conversions]));
      return units.control === byVariation.control.length && units.treatment === byVariation.treatment.length
        && conversions.control === expected.control && conversions.treatment === expected.treatment ? r : null;
    });

    // The results page, opened from the list, shows the API's answer
    await row.getByTestId('open-results').click();
    const table = page.locator(`[data-testid="metric-table"][data-kind="goal"][data-metric="${results.goals[0].metric}"]`);
    await table.waitFor();
    const answer = await apiOk(`${path}/results?cuped=true&sequential=false`);
    const goalResult = answer.goals[0];
    const shownRows = await table.locator('[data-testid="result-row"]').evaluateAll((trs) => trs.map((tr) => {
      const cell = (id) => tr.querySelector(`[data-testid="${id}"]`)?.textContent.trim() ?? null;
      return { variation: tr.dataset.variation, exposures: cell('cell-exposures'), conversions: cell('cell-conversions'), rate: cell('cell-rate')?.split(' (')[0],
        lift: cell('cell-lift'), interval: cell('cell-interval'), chance: cell('cell-chance') };
    }));
    const exposures = Object.fromEntries(answer.units.map((u) => [u.variation, u.units]));
    check('exposures per variation', shownRows.map((r) => [r.variation, number(r.exposures)]), goalResult.variations.map((v) => [v.variation, exposures[v.variation]]));
    check('conversions and rate per variation', shownRows.map((r) => [number(r.conversions), r.rate]),
      goalResult.variations.map((v) => [v.conversions, `${(v.raw_mean * 100).toFixed(1)}%`]));
    const comparison = goalResult.comparisons.find((c) => c.variation === 'treatment');
    const f = comparison.frequentist;
    if (!f) throw new Error(`the treatment's lift is not estimable: ${JSON.stringify(comparison)}`);
    const treatment = shownRows.find((r) => r.variation === 'treatment');
    check('lift, interval and chance to beat control', [treatment.lift, treatment.interval, treatment.chance],
      [signed(f.lift), `[${signed(f.ci_lower)}, ${signed(f.ci_upper)}]`, `${(comparison.bayesian.chance_to_win * 100).toFixed(1)}%`]);
    check('the verdict', await table.locator('[data-variation="treatment"] [data-testid="cell-decision"]').textContent(),
      { winning: 'winning', losing: 'losing', inconclusive: 'inconclusive', not_enough_data: 'not enough data', srm: 'sample ratio mismatch' }[comparison.decision]);
    check('SRM warning shown as the API flags it', await page.getByTestId('srm-warning').count(), answer.srm.flagged ? 1 : 0);
    await page.getByTestId('results-chart').locator('canvas').first().waitFor();
    await shot('experiment-results');

    // A version conflict: someone else saves while the form is open; the form says so beside the version and loads the current one
    await page.getByTestId('to-edit').click();
    const editForm = page.getByTestId('experiment-form');
    await page.getByTestId('form-version').filter({ hasText: `version ${created.version}` }).waitFor();
    const elsewhere = await apiOk(path, { ...created, description: 'changed elsewhere' }, 'PUT');
    await expectFieldError(path, { ...created, description: 'mine' }, 'version', async () => {
      await editForm.getByTestId('field-description').fill('mine');
      await editForm.getByTestId('save-experiment').click();
    }, { method: 'PUT', status: 409 });
    check('the refused save changed nothing', (await apiOk(path)).description, 'changed elsewhere');
    await editForm.getByTestId('reload-experiment').click();
    await page.getByTestId('form-version').filter({ hasText: `version ${elsewhere.version}` }).waitFor();
    check('the reload shows the current experiment', await editForm.getByTestId('field-description').inputValue(), 'changed elsewhere');

    // Stop it from the edit page: nothing happens before the confirmation
    await page.getByTestId('action-stop').click();
    await page.getByTestId('action-confirm').waitFor();
    check('not stopped before the confirmation', (await apiOk(path)).status, 'running');
    await page.getByTestId('confirm-action').click();
    await page.getByTestId('experiment-status').filter({ hasText: 'stopped' }).waitFor();
    const stopped = await apiOk(path);
    check('stopped in the API', [stopped.status, stopped.version, sent[path]], ['stopped', elsewhere.version + 1, { status: 'stopped', version: elsewhere.version }]);
    check('the page shows the stopped experiment', await page.getByTestId('form-version').textContent(), `version ${stopped.version}`);
  } finally {
    const current = await apiCall(path);
    if (current.status === 200) await apiOk(`${path}?version=${current.json.version}`, undefined, 'DELETE');
  }
}

/** A relative change as the console writes it: a signed percentage with one decimal. */
function signed(v) {
  const p = (v * 100).toFixed(1);
  return v > 0 && p !== '0.0' ? `+${p}%` : p === '-0.0' ? '0.0%' : `${p}%`;
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
