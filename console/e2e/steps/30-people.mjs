// People: the persons behind a funnel's drop-off and conversion (persons option), one of them opened on its timeline
// (events of the first page, Load more, an expanded event's properties, times in the project's zone) and profile
// (engine counts), the People page (recently active persons, search by id), the live tail showing an event sent now
// through the gateway (unfiltered and filtered), and malformed input (inverted timeline dates, a persons limit of 0).
import { liveEventsSql, recentPersonsSql } from '../../src/pages/people/peopleSql.js';

export const name = 'people';
const DEADLINE = 60_000;

// The console's funnel state (?q=, base64url of its JSON) for a funnel query: what the Funnels page itself stores.
function funnelUrl(base, query) {
  const state = {
    range: { preset: '7d' }, order: query.order ?? 'ordered', window: query.window ?? { value: 14, unit: 'day' }, breakdown: '', limit: 5,
    filters: [], exclusions: [], steps: query.steps.map((s) => ({ event: s.event ?? '', filters: [] })),
  };
  const q = Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
  return `${base}/insights/funnels?q=${q}`;
}

async function until(what, probe) {
  const end = Date.now() + DEADLINE;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${DEADLINE / 1000} s`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

// Compares what the page shows with the API; a person still sending events (or an engine window sliding) may change
// the answer between the two reads, so a mismatch reloads the page and reads both again, up to three times.
async function agree(check, what, shown, asked, reload) {
  let [a, b] = [null, null];
  for (let i = 0; i < 3; i++) {
    [a, b] = [await shown(), await asked()];
    if (JSON.stringify(a) === JSON.stringify(b)) break;
    await new Promise((r) => setTimeout(r, 1000));
    await reload();
  }
  check(what, a, b);
}

export async function run({ page, base, project, range, apiOk, apiCall, check, number, shot, expectFieldError, sent, shared }) {
  const fmt = new Intl.DateTimeFormat('en-GB', { timeZone: project.timezone, dateStyle: 'medium', timeStyle: 'medium' });
  const clean = (t) => t.replace(/\s+/g, ' ').trim();

  // ---- the funnel: from the insights step, or the two most frequent events of the last 7 days
  let funnelQuery = shared.funnelQuery;
  if (!funnelQuery) {
    const top = await apiOk('/api/v1/sql', {
      sql: "SELECT event_name, count() AS n FROM events WHERE event_time >= now() - INTERVAL 7 DAY AND event_type = 'track' GROUP BY event_name ORDER BY n DESC, event_name LIMIT 2",
    });
    funnelQuery = { date_range: range, order: 'ordered', window: { value: 1, unit: 'day' }, steps: top.rows.map((r) => ({ event: r[0] })) };
  }
  const funnel = await apiOk('/api/v1/insights/funnels', funnelQuery);
  const steps = funnel.groups[0].steps;
  const dropStep = steps.find((s) => s.step > 1 && s.drop_off > 0);
  if (!dropStep) throw new Error(`the funnel has no drop-off to list: ${JSON.stringify(steps.map((s) => s.count))}`);
  await page.goto(shared.funnelUrl && shared.funnelQuery ? shared.funnelUrl : funnelUrl(base, funnelQuery));
  await page.getByTestId('funnel-table').waitFor();
  check('funnel drop-offs before listing persons', (await page.getByTestId('step-dropoff').allTextContents()).map(number), steps.map((s) => s.drop_off));

  const personsRequest = () => page.waitForResponse((r) => r.url().endsWith('/api/v1/insights/funnels') && (r.request().postData() || '').includes('"persons"'));
  await Promise.all([personsRequest(), page.locator(`tr[data-step="${dropStep.step}"] [data-testid="step-dropoff"] button`).click()]);
  await page.locator(`[data-testid="funnel-persons"][data-status="dropped"] [data-testid="funnel-persons-summary"]`).filter({ hasText: 'listed' }).waitFor();
  const droppedQuery = { ...funnelQuery, persons: { step: dropStep.step, status: 'dropped', limit: 100 } };
  check('persons query the console sent', sent['/api/v1/insights/funnels'], droppedQuery);
  const dropped = (await apiOk('/api/v1/insights/funnels', droppedQuery)).persons;
  check(`persons dropped off before step ${dropStep.step}`, await page.getByTestId('funnel-person').evaluateAll((as) => as.map((a) => a.dataset.person)), dropped);
  if (dropped.length === 0) throw new Error('the API lists nobody who dropped off');

  const last = steps[steps.length - 1];
  if (last.count > 0) {
    await Promise.all([personsRequest(), page.locator(`tr[data-step="${last.step}"] [data-testid="step-count"] button`).click()]);
    await page.locator(`[data-testid="funnel-persons"][data-status="converted"] [data-testid="funnel-persons-summary"]`).filter({ hasText: 'listed' }).waitFor();
    const converted = (await apiOk('/api/v1/insights/funnels', { ...funnelQuery, persons: { step: last.step, status: 'converted', limit: 100 } })).persons;
    check(`persons who reached step ${last.step}`, await page.getByTestId('funnel-person').evaluateAll((as) => as.map((a) => a.dataset.person)), converted);
  }
  // a persons limit out of range is refused beside it
  await expectFieldError('/api/v1/insights/funnels', { ...funnelQuery, persons: { step: last.step, status: 'converted', limit: 0 } }, 'persons.limit', async () => {
    await page.getByTestId('funnel-persons-limit').fill('0');
    await page.getByTestId('funnel-persons-limit').press('Enter');
  });
  await page.getByTestId('funnel-persons-limit').fill('100');
  await Promise.all([personsRequest(), page.getByTestId('funnel-persons-limit').press('Enter')]);
  await page.locator('[data-testid="funnel-persons-summary"]').filter({ hasText: 'listed' }).waitFor();

  // ---- one dropped-off person: the link opens the timeline
  await page.getByTestId('step-dropoff').first().scrollIntoViewIfNeeded();
  await Promise.all([personsRequest(), page.locator(`tr[data-step="${dropStep.step}"] [data-testid="step-dropoff"] button`).click()]);
  // a person the engine has a profile of (a missing one answers 404, which the page shows as "no profile")
  let person = null;
  for (const p of dropped.slice(0, 10)) {
    if ((await apiCall(`/api/v1/users/${encodeURIComponent(p)}`)).status === 200) {
      person = p;
      break;
    }
  }
  if (person === null) throw new Error(`the engine has no profile of the first dropped-off persons: ${dropped.slice(0, 10)}`);
  const personPath = `/api/v1/persons/${encodeURIComponent(person)}/timeline`;
  await page.locator(`[data-testid="funnel-person"][data-person="${person}"]`).click();
  await page.waitForURL((u) => u.pathname === `/people/${encodeURIComponent(person)}`);
  check('the person page names the person', clean(await page.getByTestId('person-id').textContent()), person);
  const reloadPerson = async () => {
    await page.reload();
    await page.locator('[data-testid="timeline-event"], [data-testid="timeline-empty"]').first().waitFor();
  };
  await page.locator('[data-testid="timeline-event"], [data-testid="timeline-empty"]').first().waitFor();
  const firstPage = await apiOk(`${personPath}?limit=100`);
  await agree(check, 'timeline events of the first page', () => page.getByTestId('timeline-event-name').allTextContents(),
    async () => (await apiOk(`${personPath}?limit=100`)).events.map((e) => e.event), reloadPerson);
  check('timeline event ids of the first page', await page.getByTestId('timeline-event').evaluateAll((trs) => trs.map((tr) => tr.dataset.eventId)),
    firstPage.events.map((e) => e.event_id));
  const ev = firstPage.events[0];
  check('timeline time in the project zone', clean(await page.locator('[data-testid="timeline-event"] td').nth(1).textContent()), clean(fmt.format(new Date(ev.time_ms))));
  await page.getByTestId('timeline-toggle').first().click();
  const shownProps = await page.locator('[data-testid="timeline-properties"] table.props tr').evaluateAll((trs) => trs.map((tr) => [tr.children[0].textContent, tr.children[1].textContent]));
  check('properties of the first event', shownProps, Object.entries(ev.properties || {}).sort(([a], [b]) => a.localeCompare(b)));
  if (firstPage.next_cursor) {
    await page.getByTestId('timeline-more').click();
    const second = await apiOk(`${personPath}?limit=100&cursor=${encodeURIComponent(firstPage.next_cursor)}`);
    await page.locator('[data-testid="timeline-event"]').nth(firstPage.events.length + second.events.length - 1).waitFor();
    check('timeline after Load more', (await page.getByTestId('timeline-event').count()), firstPage.events.length + second.events.length);
  }

  // the profile: the engine's counts per event and window
  const profileRows = async () => {
    await page.locator('[data-testid="profile-count"], [data-testid="no-profile"]').first().waitFor();
    return page.getByTestId('profile-count').evaluateAll((trs) => trs.map((tr) => [tr.dataset.event, ...[...tr.querySelectorAll('td[data-window]')]
      .map((td) => Number(td.textContent.replace(/,/g, '')))]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
  };
  const profileAnswer = async () => {
    const r = await apiCall(`/api/v1/users/${encodeURIComponent(firstPage.person)}`);
    if (r.status !== 200) return { status: r.status, message: r.json?.error?.message };
    return Object.entries(r.json.events).map(([n, c]) => [n, c['1h'], c['24h'], c['7d'], c['30d'], c.all])
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  };
  const answer = await profileAnswer();
  if (Array.isArray(answer)) {
    await agree(check, 'profile counts', profileRows, profileAnswer, reloadPerson);
    const p = await apiOk(`/api/v1/users/${encodeURIComponent(firstPage.person)}`);
    check('profile sessions', number(await page.getByTestId('profile-sessions').textContent()), p.sessions);
  } else {
    check('no profile: the API says why', clean(await page.getByTestId('no-profile').textContent()), `No profile: ${answer.message}`);
  }
  await page.getByTestId('timeline-toggle').first().scrollIntoViewIfNeeded();
  await shot('timeline');

  // malformed input: inverted dates (the form's "to" is inclusive, so the API is asked for the day after)
  const nextDay = (d) => { const x = new Date(`${d}T00:00:00Z`); x.setUTCDate(x.getUTCDate() + 1); return x.toISOString().slice(0, 10); };
  await expectFieldError(`${personPath}?from=${range.to}&to=${nextDay(range.from)}&limit=100`, undefined, 'to', async () => {
    await page.getByTestId('timeline-from').fill(range.to);
    await page.getByTestId('timeline-to').fill(range.from);
    await page.getByTestId('timeline-apply').click();
  }, { method: 'GET' });

  // ---- the People page: recently active persons, then a search by id
  await page.getByTestId('nav-people').click();
  const recentRows = async () => {
    await page.locator('[data-testid="recent-person"], [data-testid="recent-persons"] [data-testid="empty"]').first().waitFor();
    return page.getByTestId('recent-person').evaluateAll((trs) => trs.map((tr) => tr.dataset.person));
  };
  await agree(check, 'recently active persons', recentRows, async () => (await apiOk('/api/v1/sql', { sql: recentPersonsSql() })).rows.map((r) => r[0]),
    () => page.reload());
  await shot('people');
  await page.getByTestId('person-search').fill(person);
  await page.getByTestId('person-search').press('Enter');
  await page.waitForURL((u) => u.pathname === `/people/${encodeURIComponent(person)}`);
  await page.locator('[data-testid="timeline-event"], [data-testid="timeline-empty"]').first().waitFor();
  check('search opens the person', clean(await page.getByTestId('person-id').textContent()), person);

  // ---- live events: an event sent now through the gateway appears on top of the tail
  await page.getByTestId('nav-live').click();
  await page.locator('[data-testid="live-table"], [data-testid="live-empty"]').first().waitFor();
  const sfx = Math.random().toString(36).slice(2, 8);
  const liveId = `e2e-live-${sfx}`;
  const top = await apiOk('/api/v1/sql', { sql: "SELECT event_name, count() AS n FROM events WHERE event_type = 'track' GROUP BY event_name ORDER BY n DESC, event_name LIMIT 1" });
  const eventName = top.rows[0][0];
  const res = await fetch(`${base}/v1/track`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Beacon-Write-Key': project.write_key },
    body: JSON.stringify({ event: eventName, anonymousId: liveId, messageId: liveId, properties: { e2e_live: sfx } }),
  });
  if (res.status !== 200) throw new Error(`the gateway refused the live event: ${res.status} ${await res.text()}`);
  const sentAt = Date.now();
  await page.locator(`[data-testid="live-row"][data-event-id="${liveId}"]`).waitFor({ timeout: DEADLINE });
  const seconds = Math.round((Date.now() - sentAt) / 100) / 10;
  check(`the sent event is in the tail (after ${seconds} s)`, clean(await page.locator(`[data-testid="live-row"][data-event-id="${liveId}"] [data-testid="live-event-name"]`).textContent()), eventName);
  await shot('live');

  // filtered by the distinct id: exactly what the SQL API answers for the same filter
  await page.getByTestId('live-distinct-id').fill(liveId);
  await page.getByTestId('live-event').fill(eventName);
  await page.getByTestId('live-apply').click();
  await page.locator(`[data-testid="live-row"][data-event-id="${liveId}"]`).waitFor();
  const filtered = await until('the filtered tail', async () => {
    const r = await apiOk('/api/v1/sql', { sql: liveEventsSql({ event: eventName, distinctId: liveId }) });
    return r.rows.length > 0 ? r.rows.map((row) => row[0]) : null;
  });
  check('live tail filtered by event and distinct id', await page.getByTestId('live-row').evaluateAll((trs) => trs.map((tr) => tr.dataset.eventId)), filtered);
  await page.getByTestId('live-toggle').first().click();
  check('live event properties', await page.locator('.props-row table.props tr').evaluateAll((trs) => trs.map((tr) => [tr.children[0].textContent, tr.children[1].textContent])),
    [['e2e_live', sfx]]);
  await page.getByTestId('live-pause').click();
  check('pause stops the tail', clean(await page.getByTestId('live-status').textContent()).startsWith('Paused'), true);
  await page.getByTestId('live-pause').click();
}
