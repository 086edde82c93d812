// Dashboards: through the UI, a trend of the unique persons of the event seen on most platforms, broken down by
// platform, is saved to a new dashboard; the dashboard page, reloaded, shows the tile's legend and line totals equal to
// the API's answer for the saved query (read back through the API), and the saved query is the one the builder sent.
// A shared date range replaces the tile's. Rename, auto-refresh and removing the tile are stored on the dashboard.
// Malformed input: an empty name and inverted dates in the saved query are refused beside their fields with nothing
// saved; an inverted shared range and an empty new name are refused beside their fields, the dashboard unchanged.
export const name = 'dashboards';

const day = (date, days) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

export async function run({ page, range, apiOk, check, number, runAndWait, sent, shot, expectFieldError }) {
  const top = await apiOk('/api/v1/sql', {
    sql: "SELECT event_name, uniqExact(platform) AS platforms, count() AS n FROM events WHERE platform != '' GROUP BY event_name"
      + ' ORDER BY platforms DESC, n DESC, event_name LIMIT 1',
  });
  const event = top.rows[0][0];
  // seven whole past days: events still arriving cannot change the answer between the page and the API
  const past = { from: day(range.from, -1), to: day(range.to, -1) };
  const texts = async (testid) => (await page.getByTestId(testid).allTextContents()).map((t) => t.trim());
  const savedBefore = await apiOk('/api/v1/saved-insights');
  const dashboardsBefore = await apiOk('/api/v1/dashboards');

  // Build the trend in the builder
  await page.getByTestId('nav-trends').click();
  await page.getByTestId('series-event').first().fill(event);
  await page.getByTestId('series-math').first().selectOption('unique_persons');
  await page.getByTestId('breakdown').fill('platform');
  await page.getByTestId('date-preset').selectOption('custom');
  await page.getByTestId('date-from').fill(past.from);
  await page.getByTestId('date-to').fill(past.to);
  await runAndWait('trends-table');
  const builderQuery = sent['/api/v1/insights/trends'];
  check('trend query the builder sent', builderQuery,
    { date_range: past, interval: 'day', series: [{ math: 'unique_persons', event }], breakdown: { property: 'platform', limit: 10 } });

  // Malformed input: no name, then inverted dates in the query; nothing is saved
  const stamp = new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14);
  const insightName = `${event} persons by platform ${stamp}`;
  const dashboardName = `Platforms ${stamp}`;
  await page.getByTestId('save-insight').click();
  await page.getByTestId('save-dashboard').selectOption('__new');
  await page.getByTestId('save-new-dashboard').fill(dashboardName);
  await expectFieldError('/api/v1/saved-insights', { name: '', analysis: 'trends', query: builderQuery }, 'name', async () => {
    await page.getByTestId('save-name').fill('');
    await page.getByTestId('save-submit').click();
  });
  const inverted = { from: past.to, to: past.from };
  await expectFieldError('/api/v1/saved-insights', { name: insightName, analysis: 'trends', query: { ...builderQuery, date_range: inverted } },
    'query.date_range', async () => {
      await page.getByTestId('date-from').fill(inverted.from);
      await page.getByTestId('date-to').fill(inverted.to);
      await page.getByTestId('save-name').fill(insightName);
      await page.getByTestId('save-submit').click();
    });
  check('saved insights unchanged after the refusals', await apiOk('/api/v1/saved-insights'), savedBefore);
  check('dashboards unchanged after the refusals', await apiOk('/api/v1/dashboards'), dashboardsBefore);

  // Save it to a new dashboard
  await page.getByTestId('date-from').fill(past.from);
  await page.getByTestId('date-to').fill(past.to);
  await page.getByTestId('save-submit').click();
  await page.getByTestId('saved-dashboard-link').waitFor();
  const savedBody = sent['/api/v1/saved-insights'];
  check('saved query is what the builder sent', savedBody.query, builderQuery);
  const saved = (await apiOk('/api/v1/saved-insights')).saved_insights.find((s) => s.name === insightName);
  if (!saved) throw new Error(`the saved insight '${insightName}' is not in GET /api/v1/saved-insights`);
  check('stored query is what the builder sent', saved.query, builderQuery);
  const dashboard = (await apiOk('/api/v1/dashboards')).dashboards.find((d) => d.name === dashboardName);
  if (!dashboard) throw new Error(`the dashboard '${dashboardName}' is not in GET /api/v1/dashboards`);
  check('dashboard tiles', dashboard.tiles, [{ insight: saved.id }]);

  // Open the dashboard and reload: the tile shows the API's answer for the saved query
  await page.getByTestId('saved-dashboard-link').click();
  await page.getByTestId('tile-table').waitFor();
  await page.reload();
  await page.getByTestId('tile-table').waitFor();
  const stored = await apiOk(`/api/v1/saved-insights/${encodeURIComponent(saved.id)}`);
  const answer = await apiOk(`/api/v1/insights/${stored.analysis}`, stored.query);
  const names = answer.series.map((l) => `${l.series}: ${l.event} (${l.math}) · ${l.breakdown_value === '' ? '(none)' : l.breakdown_value}`);
  if (answer.series.length < 2) throw new Error(`a platform breakdown should give several lines: ${names}`);
  const totals = answer.series.map((l) => l.values.reduce((a, v) => a + (v ?? 0), 0));
  check('dashboard name shown', (await page.getByTestId('dashboard-name').textContent()).trim(), dashboardName);
  check('tile title', await texts('tile-title'), [insightName]);
  check('tile legend after reload', await texts('tile-label'), names);
  check('tile line totals after reload', (await texts('tile-value')).map(number), totals);
  check('tile range is the saved one', await texts('tile-range'), [`${past.from} – ${past.to}`]);
  await shot('dashboard');

  // Malformed input on the dashboard: an inverted shared range is refused beside the range, the dashboard unchanged
  const current = await apiOk(`/api/v1/dashboards/${encodeURIComponent(dashboard.id)}`);
  await page.getByTestId('shared-range').selectOption('custom');
  await expectFieldError(`/api/v1/dashboards/${encodeURIComponent(dashboard.id)}`, { ...current, date_range: inverted }, 'date_range',
    async () => {
      await page.getByTestId('shared-from').fill(inverted.from);
      await page.getByTestId('shared-to').fill(inverted.to);
      await page.getByTestId('shared-apply').click();
    }, { method: 'PUT' });
  check('dashboard unchanged after the refused range', await apiOk(`/api/v1/dashboards/${encodeURIComponent(dashboard.id)}`), current);

  // A shared range one day earlier replaces the tile's own
  const shifted = { from: day(past.from, -1), to: day(past.to, -1) };
  await page.getByTestId('shared-from').fill(shifted.from);
  await page.getByTestId('shared-to').fill(shifted.to);
  await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/v1/insights/trends')), page.getByTestId('shared-apply').click()]);
  await page.getByTestId('tile-table').waitFor();
  check('trend query of the tile under the shared range', sent['/api/v1/insights/trends'], { ...builderQuery, date_range: shifted });
  const shiftedAnswer = await apiOk('/api/v1/insights/trends', { ...stored.query, date_range: shifted });
  check('tile line totals under the shared range', (await texts('tile-value')).map(number),
    shiftedAnswer.series.map((l) => l.values.reduce((a, v) => a + (v ?? 0), 0)));
  check('shared range stored on the dashboard', (await apiOk(`/api/v1/dashboards/${encodeURIComponent(dashboard.id)}`)).date_range, shifted);

  // Rename (an empty name refused beside it), auto-refresh, remove the tile: each stored on the dashboard
  const url = `/api/v1/dashboards/${encodeURIComponent(dashboard.id)}`;
  await page.getByTestId('rename').click();
  await expectFieldError(url, { ...(await apiOk(url)), name: '' }, 'name', async () => {
    await page.getByTestId('rename-input').fill('');
    await page.getByTestId('rename-save').click();
  }, { method: 'PUT' });
  await page.getByTestId('rename-input').fill(`${dashboardName} renamed`);
  await page.getByTestId('rename-save').click();
  await page.getByTestId('dashboard-name').waitFor();
  check('renamed dashboard shown', (await page.getByTestId('dashboard-name').textContent()).trim(), `${dashboardName} renamed`);
  await Promise.all([page.waitForResponse((r) => r.url().endsWith(url) && r.request().method() === 'PUT'),
    page.getByTestId('refresh').selectOption('60')]);
  const refreshed = await apiOk(url);
  check('name and auto-refresh stored', [refreshed.name, refreshed.refresh_seconds], [`${dashboardName} renamed`, 60]);
  await Promise.all([page.waitForResponse((r) => r.url().endsWith(url) && r.request().method() === 'PUT'),
    page.getByTestId('remove-tile').click()]);
  await page.getByTestId('no-tiles').waitFor();
  check('tile removed from the stored dashboard', (await apiOk(url)).tiles, []);
}
