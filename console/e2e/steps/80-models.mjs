// Models: the versions of the model directory (ConsoleBrowserIT writes two churn models, an LTV model and a churn model
// whose file was tampered with, and promotes the first churn model before sending the demo history, so every simulated
// user is scored by it). The list against GET /api/v1/models (versions per task, roles, ROC AUC); the churn-risk
// distribution against the profiles of the same persons; the tampered version's promotion refused beside its row with
// MODEL_TAMPERED and nothing promoted; the second churn model promoted (champion badge, the first one "previous"); its
// detail page (calibration chart drawn, ROC AUC, calibration table and checksum as the manifest has them); a share of 2
// refused beside `share`; a challenger set and removed; a rollback to the first model; an LTV rollback refused beside
// `task`; a scored person's profile shows churn_risk with its model version and top features as the profile API has them.
export const name = 'models';

const binOf = (v) => Math.min(9, Math.max(0, Math.floor(v * 10)));

export async function run({ page, base, apiCall, apiOk, check, shot, expectFieldError, sent }) {
  const models = () => apiOk('/api/v1/models');
  const before = await models();
  const churn = before.models.filter((m) => m.task === 'churn').sort((a, b) => a.created_at.localeCompare(b.created_at));
  if (churn.length < 3) throw new Error(`the models step needs the IT's churn versions (two models and a tampered one): ${JSON.stringify(churn.map((m) => m.version))}`);
  const [v1, v2] = churn;
  const tampered = churn[churn.length - 1];
  check('the IT promoted the first churn model', before.promotions?.churn?.version, v1.version);

  // The list is the API's: per task the versions (newest first), their roles and key metrics
  await page.getByTestId('nav-models').click();
  const card = (task) => page.locator(`[data-testid="model-task"][data-task="${task}"]`);
  const row = (version) => page.locator(`[data-testid="model-row"][data-version="${version}"]`);
  await card('churn').getByTestId('model-table').waitFor();
  for (const task of ['churn', 'ltv']) {
    const api = before.models.filter((m) => m.task === task);
    check(`${task} versions listed`, await card(task).locator('[data-testid="model-row"]').evaluateAll((trs) => trs.map((tr) => tr.dataset.version)),
      api.map((m) => m.version));
    check(`${task} roles shown`, await card(task).locator('[data-testid="model-row"]').evaluateAll((trs) => trs.map((tr) => tr.querySelector('[data-testid="role-badge"]')?.textContent.trim() ?? null)),
      api.map((m) => m.role));
  }
  check('ROC AUC of every churn version', await card('churn').locator('[data-testid="cell-metric"][data-metric="roc_auc"]').allTextContents(),
    before.models.filter((m) => m.task === 'churn').map((m) => m.metrics.roc_auc.toFixed(4)));
  check('the champion in the task header', (await card('churn').getByTestId('task-champion').textContent()).trim(), v1.version);

  // The churn-risk distribution: the page read the profiles of the persons the SQL names; so does this step
  const summary = page.getByTestId('distribution-summary');
  await summary.waitFor({ timeout: 120_000 });
  const persons = (await apiOk('/api/v1/sql', { sql: `SELECT resolved_person_id AS person, max(event_time_ms) AS last_ms
FROM events
WHERE event_time >= now() - INTERVAL 30 DAY AND resolved_person_id != ''
GROUP BY person
ORDER BY last_ms DESC, person
LIMIT 200` })).rows.map((r) => String(r[0]));
  const counts = Array(10).fill(0);
  const versions = {};
  let scored = 0;
  let scoredPerson = null;
  for (const p of persons) {
    const r = await apiCall(`/api/v1/users/${encodeURIComponent(p)}`);
    const s = r.status === 200 ? r.json.scores?.churn_risk : null;
    if (!s) continue;
    scored++;
    counts[binOf(s.value)]++;
    versions[s.model_version] = (versions[s.model_version] ?? 0) + 1;
    if (!scoredPerson && (s.top_features || []).length > 0) scoredPerson = { id: p, profile: r.json };
  }
  if (scored === 0) throw new Error(`no simulated person has a churn_risk although ${v1.version} was promoted before the history was sent`);
  check('persons read for the distribution', Number((await page.getByTestId('distribution-persons').textContent()).replace(/,/g, '')), persons.length);
  check('persons with a churn risk', Number((await page.getByTestId('distribution-scored').textContent()).replace(/,/g, '')), scored);
  check('churn-risk histogram (persons per 0.1 bin)', (await page.getByTestId('distribution-count').allTextContents()).map((t) => Number(t.replace(/,/g, ''))), counts);
  check('scored by', await page.getByTestId('distribution-version').evaluateAll((els) => els.map((e) => e.dataset.version)),
    Object.entries(versions).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([v]) => v));
  await page.getByTestId('distribution-chart').locator('canvas').first().waitFor();
  await shot('models-list');
  await page.getByTestId('score-distribution').scrollIntoViewIfNeeded();
  await shot('models-distribution');

  // A tampered model file: refused beside its row with the API's code, nothing promoted
  const refused = await expectFieldError('/api/v1/models/promote', { version: tampered.version }, 'version', async () => {
    await row(tampered.version).getByTestId('promote').click();
  });
  check('the refusal\'s code and field', (await page.getByTestId('row-error-code').textContent()).trim(), `${refused.code} · field ${refused.field}`);
  check('a tampered file is MODEL_TAMPERED', refused.code, 'MODEL_TAMPERED');
  check('the refusal promoted nothing', (await models()).promotions.churn.version, v1.version);

  // Promote the second churn model: the champion badge moves, the first one becomes "previous"
  await row(v2.version).getByTestId('promote').click();
  await row(v2.version).getByTestId('role-badge').filter({ hasText: 'champion' }).waitFor();
  check('the promotion the page sent', sent['/api/v1/models/promote'], { version: v2.version });
  const promoted = (await models()).promotions.churn;
  check('promoted as the API has it', [promoted.version, promoted.previous_version], [v2.version, v1.version]);
  check('badges after the promotion', [(await row(v2.version).getByTestId('role-badge').textContent()).trim(),
    (await row(v1.version).getByTestId('role-badge').textContent()).trim()], ['champion', 'previous']);

  // Its detail page: the calibration chart is drawn, the metrics and provenance are the manifest's
  await row(v2.version).getByTestId('open-model').click();
  await page.waitForURL(new RegExp(`/models/${v2.version}$`));
  const manifest = await apiOk(`/api/v1/models/${encodeURIComponent(v2.version)}`);
  await page.getByTestId('calibration-chart').locator('canvas').first().waitFor();
  check('a calibration chart is drawn', await page.getByTestId('calibration-chart').locator('canvas').count() > 0, true);
  const auc = page.locator('[data-testid="metric-row"][data-metric="roc_auc"] [data-testid="metric-value"]');
  check('ROC AUC shown', [(await auc.textContent()).trim(), Number(await auc.getAttribute('data-value'))],
    [manifest.evaluation.metrics.roc_auc.toFixed(4), manifest.evaluation.metrics.roc_auc]);
  check('ROC AUC equals the list\'s', manifest.evaluation.metrics.roc_auc, v2.metrics.roc_auc);
  check('calibration rows (holdout rows per bin)', await page.locator('[data-testid="calibration-row"] td:nth-child(2)').allTextContents(),
    manifest.evaluation.calibration.map((b) => b.count.toLocaleString('en-US')));
  check('role and checksum', [(await page.getByTestId('detail-role').textContent()).trim(), (await page.getByTestId('detail-sha').textContent()).trim(),
    (await page.getByTestId('detail-fingerprint').textContent()).trim()], ['champion', manifest.modelSha256, manifest.featureFingerprint]);
  await page.getByTestId('importance-chart').locator('canvas').first().waitFor();
  await shot('models-detail');

  // A challenger: a share of 2 refused beside `share`; then the first model for a quarter of the users; then removed
  await page.getByRole('link', { name: 'All models' }).click();
  await card('churn').getByTestId('model-table').waitFor();
  await card('churn').getByTestId('challenger-share').fill('2');
  await expectFieldError('/api/v1/models/challenger', { version: v1.version, share: 2 }, 'share', async () => {
    await row(v1.version).getByTestId('set-challenger').click();
  });
  check('a refused share set no challenger', (await models()).promotions.churn.challenger_version, null);
  await card('churn').getByTestId('challenger-share').fill('0.25');
  await row(v1.version).getByTestId('set-challenger').click();
  await row(v1.version).getByTestId('role-badge').filter({ hasText: 'challenger' }).waitFor();
  const withChallenger = (await models()).promotions.churn;
  check('the challenger as the API has it', [withChallenger.version, withChallenger.challenger_version, withChallenger.challenger_share],
    [v2.version, v1.version, 0.25]);
  check('the challenger in the task header', [(await card('churn').getByTestId('task-challenger').textContent()).trim(),
    (await card('churn').getByTestId('task-challenger-share').textContent()).trim()], [v1.version, 'scoring 25.0%']);
  await card('churn').getByTestId('remove-challenger').click();
  await card('churn').getByTestId('task-challenger').filter({ hasText: 'none' }).waitFor();
  check('the challenger removed', sent['/api/v1/models/challenger'], { task: 'churn', version: null });
  check('no challenger in the API', (await models()).promotions.churn.challenger_version, null);

  // Roll back: the first model is the champion again
  await card('churn').getByTestId('rollback').click();
  await row(v1.version).getByTestId('role-badge').filter({ hasText: 'champion' }).waitFor();
  const rolled = (await models()).promotions.churn;
  check('rolled back as the API has it', [rolled.version, rolled.previous_version], [v1.version, v2.version]);
  check('badges after the rollback', [(await row(v1.version).getByTestId('role-badge').textContent()).trim(),
    (await row(v2.version).getByTestId('role-badge').textContent()).trim()], ['champion', 'previous']);
  // nothing promoted for LTV: nothing to roll back, refused beside `task` on the LTV card
  await expectFieldError('/api/v1/models/rollback', { task: 'ltv' }, 'task', async () => {
    await card('ltv').getByTestId('rollback').click();
  });
  check('the LTV refusal\'s code', (await card('ltv').getByTestId('task-error-code').textContent()).trim(), 'NO_PREVIOUS_VERSION · field task');

  // A scored person's profile: churn_risk with its model version and top features
  if (!scoredPerson) throw new Error('no scored person has top_features in the profile API');
  // (explanations are computed when the profile is read, as of that instant: compare with the answer the page got)
  const profilePath = `/api/v1/users/${encodeURIComponent(scoredPerson.id)}`;
  const [answer] = await Promise.all([page.waitForResponse((r) => new URL(r.url()).pathname === profilePath && r.request().method() === 'GET'),
    page.goto(`${base}/people/${encodeURIComponent(scoredPerson.id)}`)]);
  const score = page.locator('[data-testid="profile-score"][data-score="churn_risk"]');
  await score.waitFor();
  const now = (await answer.json()).scores.churn_risk;
  check('the profile API scored the person with the champion', now.model_version, (await models()).promotions.churn.version);
  check('the profile\'s churn risk and model version', [(await score.getByTestId('score-value').textContent()).trim(),
    (await score.getByTestId('score-model').textContent()).trim()], [now.value.toFixed(4), now.model_version]);
  const why = page.locator('[data-testid="score-explanation"][data-score="churn_risk"] [data-testid="score-feature"]');
  check('the profile\'s top features', await why.evaluateAll((trs) => trs.map((tr) => tr.dataset.feature)), now.top_features.map((f) => f.feature));
  check('their contributions', (await why.getByTestId('feature-contribution').allTextContents()).map((t) => t.trim()),
    now.top_features.map((f) => `${f.contribution >= 0 ? '+' : '−'}${Math.abs(f.contribution).toFixed(4)}`));
}
