// Insights: a 3-step funnel (step counts, drop-offs, view SQL, shared link, an exclusion), retention (three heatmap cells),
// a trend broken down by platform (legend, one value), the SQL console (result table) and malformed input in
// the insight forms and the SQL console (inverted dates, unknown property, exclusion steps reversed, a 201-character
// event name, refused SQL).
export const name = 'insights';

export async function run({ page, range, apiOk, check, number, runAndWait, sent, shot, expectFieldError, shared }) {
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
  shared.funnelQuery = funnelQuery;
  const shownCounts = (await page.getByTestId('step-count').allTextContents()).map(number);
  check('funnel step counts', shownCounts, funnel.groups[0].steps.map((s) => s.count));
  check('funnel drop-offs', (await page.getByTestId('step-dropoff').allTextContents()).map(number), funnel.groups[0].steps.map((s) => s.drop_off));
  if (!(shownCounts[0] > shownCounts[2] && shownCounts[2] > 0)) throw new Error(`the simulated funnel should narrow: ${shownCounts}`);
  await page.getByTestId('view-sql').click();
  check('funnel SQL shown', (await page.getByTestId('sql-text').first().textContent()).trim(), funnel.queries[0].sql.trim());
  await shot('funnels');
  shared.funnelUrl = page.url();

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
  await shot('retention');
  const longName = 'x'.repeat(201);
  await expectFieldError('/api/v1/insights/retention', { date_range: range, period: 'day', periods: 7, start_event: { event: longName }, return_event: {} },
    'start_event', async () => {
      await page.getByTestId('start-event').fill(longName);
      await page.getByTestId('run').click();
    });
  await page.getByTestId('start-event').fill('');

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
  await shot('trends');

  // A shared link opens the same funnel with its result
  await page.goto(shared.funnelUrl);
  await page.getByTestId('funnel-table').waitFor();
  check('shared funnel link step counts', (await page.getByTestId('step-count').allTextContents()).map(number), funnel.groups[0].steps.map((s) => s.count));

  // An exclusion between step 1 and the last step: the most frequent event that is not a step
  const others = await apiOk('/api/v1/sql', {
    sql: `SELECT event_name, count() AS n FROM events WHERE event_name NOT IN (${steps.map((e) => `'${e}'`).join(', ')}) GROUP BY event_name ORDER BY n DESC, event_name LIMIT 1`,
  });
  const excluded = others.rows[0][0];
  await page.getByTestId('add-exclusion').click();
  await page.getByTestId('exclusion-event').fill(excluded);
  await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/v1/insights/funnels')), page.getByTestId('run').click()]);
  await page.getByTestId('funnel-table').waitFor();
  const excludingQuery = { ...funnelQuery, exclusions: [{ event: excluded, from_step: 1, to_step: 3 }] };
  check('funnel query with an exclusion the console sent', sent['/api/v1/insights/funnels'], excludingQuery);
  const excluding = await apiOk('/api/v1/insights/funnels', excludingQuery);
  check('funnel step counts with an exclusion', (await page.getByTestId('step-count').allTextContents()).map(number),
    excluding.groups[0].steps.map((st) => st.count));
  await expectFieldError('/api/v1/insights/funnels', { ...funnelQuery, exclusions: [{ event: excluded, from_step: 3, to_step: 1 }] },
    'exclusions[0]', async () => {
      await page.getByTestId('exclusion-from').fill('3');
      await page.getByTestId('exclusion-to').fill('1');
      await page.getByTestId('run').click();
    });

  // SQL console
  const sql = 'SELECT platform, count() AS events FROM events GROUP BY platform ORDER BY platform';
  await page.getByTestId('nav-sql').click();
  await page.getByTestId('sql-input').fill(sql);
  await runAndWait('sql-table');
  const sqlAnswer = await apiOk('/api/v1/sql', { sql });
  const rows = await page.locator('[data-testid="sql-table"] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
  check('SQL result table', rows, sqlAnswer.rows);
  check('SQL columns', await page.locator('[data-testid="sql-table"] thead th').allTextContents(), sqlAnswer.columns);
  await shot('sql');

  // Malformed input: the API's message appears beside the field it names
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
  await shot('error');
}
