// The journey page's dry run (POST /api/v1/journeys/{id}/simulate): a draft journey made here through the API (triggered by
// the data's most frequent track event, it sends a webhook "Dry run for {{person_id}}" to a receiver started here, waits six
// hours and exits). A blank person id refused beside the person field; the person with the most events simulated: the path
// shown is the page's answer, the same as the API's for the same request, and what the test's own data says (the send step
// first, the send to the destination with the rendered title at the entry, the six-hour wait, completed, the person's events
// counted in ClickHouse); a forecast over the last 7 days: entries as the API answers the same request, persons entered as
// ClickHouse counts them, sends, caps, quiet hours and exits as the API has them; `to` before `from` refused beside `to`.
// In the editor, "Dry run this draft" with a two-hour delay: the page's path is the API's for that draft, nothing saved. The
// receiver gets nothing and the person has no run: nothing is sent or written. The journey and destination are deleted.
import { createServer } from 'node:http';

export const name = 'journey-dry-run';

const SIX_HOURS = 6 * 3600 * 1000;
const TWO_HOURS = 2 * 3600 * 1000;

export async function run({ page, base, range, apiCall, apiOk, check, number, shot, expectFieldError, sent }) {
  const sfx = Math.random().toString(36).slice(2, 8);
  const received = [];
  const receiver = createServer((req, res) => {
    received.push(req.url);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"ok":true}');
  });
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const sql = async (text) => (await apiOk('/api/v1/sql', { sql: text })).rows;
  let destination = null;
  let id = null;
  try {
    // The test's data: the most frequent track event triggers the journey; the person with the most events (as the dry run
    // keys persons: the ingest-time person id, else the distinct id) is simulated
    const [[trigger]] = await sql("SELECT event_name, count() AS n FROM events WHERE event_type = 'track' GROUP BY event_name ORDER BY n DESC, event_name LIMIT 1");
    const [[person, personEvents]] = await sql("SELECT if(person_id = '', distinct_id, person_id) AS p, count() AS n FROM events GROUP BY p ORDER BY n DESC, p LIMIT 1");
    destination = (await apiOk('/api/v1/destinations', { name: `Dry run e2e ${sfx}`, type: 'webhook', url: `http://127.0.0.1:${receiver.address().port}/dry/${sfx}`,
      rate_limit_per_second: 50, concurrency: 4, enabled: true, subscriptions: [] })).id;
    const definition = {
      id: `dry-run-${sfx}`, name: `Dry run e2e ${sfx}`, description: 'A webhook, six hours, done', priority: 0,
      trigger: { type: 'event', event: String(trigger) },
      entry: 'hello',
      steps: {
        hello: { type: 'send', destination_id: destination, channel: 'webhook', template: { title: 'Dry run for {{person_id}}' }, next: 'pause' },
        pause: { type: 'delay', duration: 'PT6H', next: 'done' },
        done: { type: 'exit' },
      },
      re_entry: { policy: 'once' },
    };
    id = (await apiOk('/api/v1/journeys', definition)).id;
    check('the journey is a draft (the engine runs live journeys only)', (await apiOk(`/api/v1/journeys/${encodeURIComponent(id)}`)).status, 'draft');
    const simulate = `/api/v1/journeys/${id}/simulate`;
    const answerOfPage = () => page.waitForResponse((r) => new URL(r.url()).pathname === simulate && r.request().method() === 'POST');

    await page.goto(`${base}/journeys/${encodeURIComponent(id)}`);
    const panel = page.getByTestId('dry-run');
    await panel.waitFor();
    check('the panel says nothing is sent', (await page.getByTestId('dry-run-note').textContent()).trim(), 'Dry run: nothing is sent, nothing is written.');

    // A blank person id: the API's message beside the person field
    await expectFieldError(simulate, { user_id: '' }, 'user_id', async () => {
      await page.getByTestId('dry-user').fill('   ');
      await page.getByTestId('dry-simulate').click();
    });
    check('the blank id the page sent', sent[simulate], { user_id: '' });

    // One person's path: what the page got, the API's answer to the same request, and what the definition and data say
    await page.getByTestId('dry-user').fill(String(person));
    const [answered] = await Promise.all([answerOfPage(), page.getByTestId('dry-simulate').click()]);
    check('the person dry run answered', answered.status(), 200);
    const got = await answered.json();
    check('the person request the page sent', sent[simulate], { user_id: String(person) });
    await page.locator(`[data-testid="dry-path"][data-user="${person}"]`).waitFor();
    const direct = await apiOk(simulate, { user_id: String(person) });
    const relative = (p) => {
      const now = Date.parse(p.now);
      return {
        ending: p.ending, history: p.history_events, sent: p.sent,
        events: p.events.map((e) => [e.at_ms - now, e.kind, e.step_id, e.channel, e.reason]),
        sends: p.sends.map((s) => [Date.parse(s.at) - now, s.step_id, s.channel, s.destination_id, s.message_key, s.fields]),
      };
    };
    check('the page\'s path is the API\'s for the same person', relative(got), relative(direct));
    const now = Date.parse(got.now);
    const eventRows = page.getByTestId('dry-event');
    const shownEvents = await eventRows.evaluateAll((trs) => trs.map((tr) => [Date.parse(tr.dataset.at), tr.dataset.kind, tr.dataset.step,
      tr.querySelector('[data-testid="cell-detail"]').textContent.trim()]));
    check('the path shown, event by event', shownEvents, got.events.map((e) => [e.at_ms, e.kind, e.step_id ?? '', [e.channel, e.reason].filter((x) => x).join(' · ')]));
    check('the first step shown is the entry, entered now', shownEvents.find((e) => e[1] === 'step_entered').slice(0, 3), [now, 'step_entered', 'hello']);
    check('the waits shown: the six-hour delay', (await eventRows.evaluateAll((trs) => trs.map((tr) => tr.children[1].textContent.trim())))
      .filter((w) => w !== '–' && w !== '0'), ['6.0 h']);
    check('it completes six hours after the entry', shownEvents.filter((e) => e[1] === 'completed').map((e) => [e[0] - now, e[2]]), [[SIX_HOURS, 'done']]);
    check('the ending shown', (await page.getByTestId('dry-ending').textContent()).trim(), 'completed');
    check('the send shown: at the entry, the step, channel, destination and rendered title', await page.getByTestId('dry-send').evaluateAll((trs) => trs.map((tr) => [
      Date.parse(tr.dataset.at), tr.dataset.step, tr.querySelector('[data-testid="cell-channel"]').textContent.trim(),
      tr.querySelector('[data-testid="cell-destination"]').textContent.trim(), tr.querySelector('[data-testid="cell-fields"]').textContent.trim()])),
    [[now, 'hello', 'webhook', destination, `title: Dry run for ${person}`]]);
    check('the events replayed: the person\'s events in ClickHouse', got.history_events, Number(personEvents));

    // A forecast over the last 7 days: the page's figures against the API's answer to the same request
    await page.getByTestId('dry-from').fill(range.from);
    await page.getByTestId('dry-to').fill(range.to);
    const [forecasted] = await Promise.all([answerOfPage(), page.getByTestId('dry-forecast').click()]);
    check('the forecast answered', forecasted.status(), 200);
    const shownForecast = await forecasted.json();
    check('the forecast request the page sent', sent[simulate], { from: range.from, to: range.to });
    const result = page.getByTestId('dry-forecast-result');
    await result.waitFor();
    const forecast = await apiOk(simulate, { from: range.from, to: range.to });
    check('entries shown = the API\'s for the same range', number(await page.getByTestId('dry-entries').textContent()), forecast.entries);
    check('someone entered', forecast.entries > 0, true);
    const [[entrants]] = await sql(`SELECT uniqExact(if(person_id = '', distinct_id, person_id)) FROM events WHERE event_name = '${String(trigger).replace(/'/g, "\\'")}'`
      + ` AND event_time_ms >= ${Date.parse(forecast.from)} AND event_time_ms <= ${Date.parse(forecast.to)}`);
    check('persons entered: those with the trigger event in the range (once each)', [number(await page.getByTestId('dry-entered-persons').textContent()),
      forecast.entries], [Number(entrants), Number(entrants)]);
    check('completed, converted, quiet hours, stopped', await Promise.all(['dry-completed', 'dry-converted', 'dry-deferred-count', 'dry-suppressed', 'dry-stopped']
      .map(async (t) => number(await page.getByTestId(t).textContent()))),
    [forecast.completed, forecast.converted, forecast.quiet_hours.deferred, forecast.quiet_hours.suppressed, forecast.stopped]);
    const counts = async (testid) => ((await page.getByTestId(testid).count()) === 0 ? {}
      : Object.fromEntries(await page.getByTestId(testid).getByTestId('dry-count').evaluateAll((trs) => trs.map((tr) => [tr.dataset.key,
        Number(tr.querySelector('[data-testid="cell-n"]').textContent.replace(/,/g, ''))]))));
    check('sends per channel, caps hit, exits, in flight', [await counts('dry-sent'), await counts('dry-capped'), await counts('dry-exited'),
      await counts('dry-in-flight')], [forecast.sent, forecast.capped, forecast.exited, forecast.in_flight]);
    check('the sample paths shown are the page\'s answer', await page.getByTestId('dry-sample').evaluateAll((lis) => lis.map((li) => li.dataset.person)),
      shownForecast.sample_paths.map((p) => p.person_id));
    await panel.scrollIntoViewIfNeeded();
    await page.getByTestId('dry-user').scrollIntoViewIfNeeded();
    await shot('journey-dry-run');

    // `to` before `from`: the API's message beside `to`, and no forecast left shown
    await expectFieldError(simulate, { from: range.to, to: range.from }, 'to', async () => {
      await page.getByTestId('dry-from').fill(range.to);
      await page.getByTestId('dry-to').fill(range.from);
      await page.getByTestId('dry-forecast').click();
    });
    check('the reversed range the page sent', sent[simulate], { from: range.to, to: range.from });
    check('no forecast is shown for a refused range', await result.count(), 0);

    // The editor's "Dry run this draft": the edited definition (a two-hour delay) simulated, not saved
    await page.goto(`${base}/journeys/${encodeURIComponent(id)}/edit`);
    await page.waitForFunction(() => (document.querySelector('[data-testid="journey-json"]')?.value || '').length > 0);
    const draft = JSON.parse(await page.getByTestId('journey-json').inputValue());
    draft.steps.pause.duration = 'PT2H';
    await page.getByTestId('journey-json').fill(JSON.stringify(draft, null, 2));
    await page.getByTestId('dry-user').fill(String(person));
    const [drafted] = await Promise.all([answerOfPage(), page.getByTestId('dry-run-draft').click()]);
    check('the draft dry run answered', drafted.status(), 200);
    const draftPath = await drafted.json();
    check('the draft request the page sent', sent[simulate], { user_id: String(person), definition: draft });
    await page.locator(`[data-testid="dry-draft-path"][data-user="${person}"]`).waitFor();
    check('the draft\'s path is the API\'s for the same draft', relative(draftPath), relative(await apiOk(simulate, { user_id: String(person), definition: draft })));
    check('the draft completes two hours after the entry', await page.getByTestId('dry-event').evaluateAll((lis) => lis.filter((li) => li.dataset.kind === 'completed')
      .map((li) => [Date.parse(li.dataset.at), li.dataset.step])), [[Date.parse(draftPath.now) + TWO_HOURS, 'done']]);
    check('the draft was not saved', (await apiOk(`/api/v1/journeys/${encodeURIComponent(id)}`)).steps.pause.duration, 'PT6H');

    // Nothing was sent and nothing was written
    check('the destination received nothing', received, []);
    check('the person has no run of the journey', (await apiOk(`/api/v1/persons/${encodeURIComponent(person)}/journeys`)).runs
      .filter((r) => r.journey_id === id).length, 0);
  } finally {
    receiver.close();
    if (id) {
      const current = await apiCall(`/api/v1/journeys/${encodeURIComponent(id)}`);
      if (current.status === 200) await apiOk(`/api/v1/journeys/${encodeURIComponent(id)}?version=${current.json.version}`, undefined, 'DELETE');
    }
    if (destination) {
      const current = await apiCall(`/api/v1/destinations/${encodeURIComponent(destination)}`);
      if (current.status === 200) await apiOk(`/api/v1/destinations/${encodeURIComponent(destination)}?version=${current.json.version}`, undefined, 'DELETE');
    }
  }
}
