// The other insights: paths after the most frequent event (the Sankey's links table), stickiness, lifecycle
// and distribution of that event (their tables), each against the API's answer to the query the page sent;
// malformed input: a cleaning regex that matches the empty string, 201-character event names, bucket edges that
// do not increase.
export const name = 'more-insights';

export async function run({ page, range, apiOk, check, number, runAndWait, sent, shot, expectFieldError }) {
  const top = await apiOk('/api/v1/sql', {
    sql: "SELECT event_name, count() AS n FROM events WHERE session_id != '' GROUP BY event_name ORDER BY n DESC, event_name LIMIT 1",
  });
  const event = top.rows[0][0];
  const texts = async (testid) => (await page.getByTestId(testid).allTextContents()).map((t) => t.trim());
  // whole past days (up to yesterday), typed as a custom range: events still arriving cannot change the answer between
  // what the page shows and what the API is asked afterwards
  const to = new Date(`${range.to}T00:00:00Z`);
  to.setUTCDate(to.getUTCDate() - 1);
  const past = { from: range.from, to: to.toISOString().slice(0, 10) };
  async function pastDays() {
    await page.getByTestId('date-preset').selectOption('custom');
    await page.getByTestId('date-from').fill(past.from);
    await page.getByTestId('date-to').fill(past.to);
  }

  // Paths after the event, 3 steps
  await page.getByTestId('nav-paths').click();
  await page.getByTestId('anchor-event').fill(event);
  await pastDays();
  await page.getByTestId('depth').fill('3');
  await runAndWait('paths-table');
  const pathsQuery = { date_range: past, event_types: 'all', depth: 3, links_per_step: 20, start: { event } };
  check('paths query the console sent', sent['/api/v1/insights/paths'], pathsQuery);
  const paths = await apiOk('/api/v1/insights/paths', pathsQuery);
  check('paths link sources', await texts('link-source'), paths.links.map((l) => l.source_label));
  check('paths link targets', await texts('link-target'), paths.links.map((l) => l.target_label));
  check('paths link sessions', (await texts('link-value')).map(number), paths.links.map((l) => l.value));
  if (paths.links.length === 0) throw new Error(`paths after ${event} should have links`);
  await shot('paths');
  await expectFieldError('/api/v1/insights/paths', { ...pathsQuery, cleaning: [{ regex: '[0-9]*' }] }, 'cleaning[0]', async () => {
    await page.getByTestId('add-cleaning').click();
    await page.getByTestId('cleaning-regex').fill('[0-9]*');
    await page.getByTestId('run').click();
  });

  // Stickiness of the event by day
  await page.getByTestId('nav-stickiness').click();
  await page.getByTestId('event').fill(event);
  await pastDays();
  await runAndWait('stickiness-table');
  const stickyQuery = { date_range: past, interval: 'day', event: { event } };
  check('stickiness query the console sent', sent['/api/v1/insights/stickiness'], stickyQuery);
  const sticky = await apiOk('/api/v1/insights/stickiness', stickyQuery);
  check('stickiness persons per number of days', (await texts('stickiness-persons')).map(number), sticky.counts.map((c) => c.persons));
  await shot('stickiness');
  const longName = 'x'.repeat(201);
  await expectFieldError('/api/v1/insights/stickiness', { ...stickyQuery, event: { event: longName } }, 'event.event', async () => {
    await page.getByTestId('event').fill(longName);
    await page.getByTestId('run').click();
  });

  // Lifecycle of the event by day: every status of every period
  await page.getByTestId('nav-lifecycle').click();
  await page.getByTestId('event').fill(event);
  await pastDays();
  await runAndWait('lifecycle-table');
  const lifeQuery = { date_range: past, interval: 'day', event: { event } };
  check('lifecycle query the console sent', sent['/api/v1/insights/lifecycle'], lifeQuery);
  const life = await apiOk('/api/v1/insights/lifecycle', lifeQuery);
  const shown = await page.locator('[data-testid="lifecycle-table"] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent.trim())));
  check('lifecycle table', shown.map(([period, ...n]) => [period, ...n.map((v) => Number(v.replace(/,/g, '')))]),
    life.periods.map((p) => [p.period, p.new, p.returning, p.resurrecting, p.dormant]));
  await shot('lifecycle');
  await expectFieldError('/api/v1/insights/lifecycle', { ...lifeQuery, event: { event: longName } }, 'event.event', async () => {
    await page.getByTestId('event').fill(longName);
    await page.getByTestId('run').click();
  });

  // Distribution of the event per person, buckets 1 … 5+
  await page.getByTestId('nav-distribution').click();
  await page.getByTestId('event').fill(event);
  await pastDays();
  await page.getByTestId('bucket-max').fill('5');
  await runAndWait('distribution-table');
  const distQuery = { date_range: past, event: { event }, buckets: { max: 5 } };
  check('distribution query the console sent', sent['/api/v1/insights/distribution'], distQuery);
  const dist = await apiOk('/api/v1/insights/distribution', distQuery);
  check('distribution persons per bucket', (await texts('distribution-persons')).map(number), dist.buckets.map((b) => b.persons));
  await shot('distribution');
  await expectFieldError('/api/v1/insights/distribution', { date_range: past, event: { event }, buckets: { edges: [1, 3, 3] } }, 'buckets', async () => {
    await page.getByTestId('bucket-mode').selectOption('edges');
    await page.getByTestId('bucket-edges').fill('1, 3, 3');
    await page.getByTestId('run').click();
  });
}
