// Data management: the property table against GET /api/v1/metadata/properties; a property created, edited (description,
// PII class: the API shows the change and a higher version), refused (an enum value that is no number) and caught in a
// version conflict; an event and a property of the step's own sent through the gateway, discovered and registered with
// one click (gone from discovered, present in the registry); the validate tool against the API's verdict; a registered
// event deleted after its confirmation; the dead letters by code against the API's counts, a letter of the step's own
// (a string sent for its number property) shown and replayed. Everything the step creates carries a random suffix and
// is deleted at the end; the project's enforcement mode is not touched.
export const name = 'data';

const DEADLINE = 120_000;

export async function run({ page, base, project, apiCall, apiOk, check, number, shot, expectFieldError, sent }) {
  const sfx = Math.random().toString(36).slice(2, 8);
  const amount = `e2e_amount_${sfx}`; // a number property the step creates in the UI
  const probe = `e2e_probe_${sfx}`; // a property only the step's event carries, discovered and registered
  const probeEvent = `E2E Data Probe ${sfx}`;
  const propPath = (n) => `/api/v1/metadata/properties/${encodeURIComponent(n)}`;
  const eventPath = (n) => `/api/v1/metadata/events/${encodeURIComponent(n)}`;
  const byName = (a, b) => a.localeCompare(b);
  const created = [];
  try {
    // The property table lists what the API has
    await page.getByTestId('nav-data').click();
    await page.getByTestId('tab-properties').click();
    await page.locator('[data-testid="property-table"], [data-testid="property-empty"]').first().waitFor();
    const listed = (await apiOk('/api/v1/metadata/properties')).properties.map((p) => p.name).sort(byName);
    check('property names listed', (await page.locator('[data-testid="property-row"] [data-testid="cell-name"]').allTextContents()).sort(byName), listed);

    // Malformed: a property without a name is refused beside the name, and nothing is created
    await page.getByTestId('property-new').click();
    const form = page.getByTestId('property-form');
    await expectFieldError('/api/v1/metadata/properties', { name: '', type: 'number', pii: 'none', promoted: false, enum_values: [], description: null },
      'name', async () => {
        await form.getByTestId('field-type').selectOption('number');
        await form.getByTestId('save-definition').click();
      });
    check('refused create added nothing', (await apiOk('/api/v1/metadata/properties')).properties.map((p) => p.name).sort(byName), listed);

    // Create a number property through the form
    await form.getByTestId('field-name').fill(amount);
    await form.getByTestId('field-type').selectOption('number');
    await form.getByTestId('field-description').fill('an amount, made by the console data step');
    await form.getByTestId('save-definition').click();
    const row = page.locator(`[data-testid="property-row"][data-name="${amount}"]`);
    await row.waitFor();
    created.push(propPath(amount));
    const v1 = await apiOk(propPath(amount));
    check('created property in the API', [v1.type, v1.pii, v1.promoted, v1.description], ['number', 'none', false, 'an amount, made by the console data step']);

    // Edit its description and PII class: the API shows both and a higher version
    await row.getByTestId('edit').click();
    await form.getByTestId('field-description').fill('an amount in cents, hashed');
    await form.getByTestId('field-pii').selectOption('hash');
    await form.getByTestId('save-definition').click();
    await page.getByTestId('data-notice').filter({ hasText: `Saved '${amount}'` }).waitFor();
    const v2 = await apiOk(propPath(amount));
    check('edited property in the API', [v2.description, v2.pii, v2.type], ['an amount in cents, hashed', 'hash', 'number']);
    check('edit raised the version', v2.version, v1.version + 1);
    check('edit sent the version read', sent[propPath(amount)]?.version, v1.version);
    check('table shows the edit', [await row.getByTestId('cell-pii').textContent(), await row.getByTestId('cell-description').textContent(),
      number(await row.getByTestId('cell-version').textContent())], [v2.pii, v2.description, v2.version]);

    // Malformed: an enum value that is no number is refused beside enum_values, and nothing changes
    await row.getByTestId('edit').click();
    await expectFieldError(propPath(amount), { name: amount, type: 'number', pii: 'hash', promoted: false, enum_values: ['abc'],
      description: v2.description, version: v2.version }, 'enum_values', async () => {
      await form.getByTestId('field-enum-values').fill('abc');
      await form.getByTestId('save-definition').click();
    }, { method: 'PUT' });
    check('refused edit left the definition', await apiOk(propPath(amount)), v2);

    // A version conflict: someone else saves while the form is open; the form says so and loads the current version
    await form.getByTestId('cancel-edit').click();
    await row.getByTestId('edit').click();
    const v3 = await apiOk(propPath(amount), { ...v2, description: 'changed elsewhere' }, 'PUT');
    await expectFieldError(propPath(amount), { ...v2, description: 'mine' }, 'version', async () => {
      await form.getByTestId('field-description').fill('mine');
      await form.getByTestId('save-definition').click();
    }, { method: 'PUT', status: 409 });
    await shot('data-properties');
    await form.getByTestId('reload-definition').click();
    await form.getByTestId('form-version').filter({ hasText: `version ${v3.version}` }).waitFor();
    check('conflict reload shows the current definition', await form.getByTestId('field-description').inputValue(), 'changed elsewhere');
    await form.getByTestId('cancel-edit').click();

    // Through the gateway: an event with a never-seen property (discovery) and one with a string for the number property
    // (a TYPE_MISMATCH dead letter in either enforcement mode)
    const dlqId = `e2e-dlq-${sfx}`;
    for (const [id, properties] of [[`e2e-probe-${sfx}`, { [probe]: 7 }], [dlqId, { [amount]: 'not a number' }]]) {
      const res = await fetch(`${base}/v1/track`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Beacon-Write-Key': project.write_key },
        body: JSON.stringify({ event: probeEvent, anonymousId: `e2e-data-${sfx}`, messageId: id, properties }),
      });
      if (res.status !== 200) throw new Error(`the gateway refused the probe event: ${res.status} ${await res.text()}`);
    }
    const discovered = await until('the probe event and property are discovered', async () => {
      const d = (await apiOk('/api/v1/metadata/discovered')).discovered;
      return d.some((i) => i.kind === 'property' && i.name === probe) && d.some((i) => i.kind === 'event' && i.name === probeEvent) ? d : null;
    });
    const probeItem = discovered.find((i) => i.kind === 'property' && i.name === probe);

    // Discovered: the list is the API's; Register creates the definition, and the item leaves the list
    await page.getByTestId('tab-discovered').click();
    await page.locator(`[data-testid="discovered-row"][data-key="property/${probe}"]`).waitFor();
    const shownKeys = await page.locator('[data-testid="discovered-row"]').evaluateAll((trs) => trs.map((tr) => tr.dataset.key));
    const apiKeys = (await apiOk('/api/v1/metadata/discovered')).discovered.map((i) => `${i.kind}/${i.name}`);
    check('discovered items listed', [...shownKeys].sort(byName), [...apiKeys].sort(byName));
    const probeRow = page.locator(`[data-testid="discovered-row"][data-key="property/${probe}"]`);
    check('discovered volume of the probe property', number(await probeRow.getByTestId('cell-volume').textContent()), probeItem.volume);
    await probeRow.getByTestId('register').click();
    await page.getByTestId('register-result').filter({ hasText: probe }).waitFor();
    created.push(propPath(probe));
    await probeRow.waitFor({ state: 'detached' });
    const registered = await apiOk(propPath(probe));
    check('registered property in the registry', [registered.type, registered.pii, registered.promoted], [probeItem.inferred_type, 'none', false]);
    check('registered property left discovered', (await apiOk('/api/v1/metadata/discovered?kind=property')).discovered.some((i) => i.name === probe), false);
    const eventRow = page.locator(`[data-testid="discovered-row"][data-key="event/${probeEvent}"]`);
    await eventRow.getByTestId('register').click();
    await page.getByTestId('register-result').filter({ hasText: probeEvent }).waitFor();
    created.push(eventPath(probeEvent));
    await eventRow.waitFor({ state: 'detached' });
    check('registered event is a draft', (await apiOk(eventPath(probeEvent))).status, 'draft');
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot('data-discovered');

    // Events: the table is the API's (names, and the stored events of the probe from the SQL API once the sink wrote it);
    // the validate tool shows the API's verdict; delete after the confirmation
    // (in strict mode the unregistered probe event is a dead letter, so none is stored)
    const volumeSql = `SELECT count() AS n FROM events WHERE event_name = '${probeEvent}' AND event_time >= now() - INTERVAL 30 DAY`;
    const stored = await until('the probe event is stored', async () => {
      const n = Number((await apiOk('/api/v1/sql', { sql: volumeSql })).rows[0][0]);
      return n > 0 || project.mode === 'strict' ? n : null;
    });
    await page.getByTestId('tab-events').click();
    const probeEventRow = page.locator(`[data-testid="event-row"][data-name="${probeEvent}"]`);
    await probeEventRow.waitFor();
    const events = (await apiOk('/api/v1/metadata/events')).events.map((e) => e.name).sort(byName);
    check('event names listed', (await page.locator('[data-testid="event-row"] [data-testid="cell-name"]').allTextContents()).sort(byName), events);
    const volumeCell = probeEventRow.getByTestId('cell-volume');
    const shownVolume = await until('the event counts are shown', async () => {
      const t = (await volumeCell.textContent()).trim();
      return t === '…' ? null : t;
    });
    check('stored events of the probe (30 days)', number(shownVolume), stored);
    const sample = { properties: { [amount]: 'abc', [probe]: 3 } };
    await page.locator(`[data-testid="event-row"][data-name="${probeEvent}"]`).getByTestId('validate-this').click();
    await page.getByTestId('validate-properties').fill(JSON.stringify(sample.properties));
    await page.getByTestId('validate-run').click();
    await page.getByTestId('validate-result').waitFor();
    const verdict = await apiOk(`${eventPath(probeEvent)}/validate`, sample);
    check('validate verdict', await page.getByTestId('validate-verdict').textContent(), verdict.verdict);
    check('validate violations', await page.locator('[data-testid="violation-row"]').evaluateAll((trs) => trs.map((tr) => tr.children[0].textContent)),
      verdict.violations.map((v) => v.code));
    await expectFieldError(`${eventPath(probeEvent)}/validate`, { properties: 'not an object' }, 'properties', async () => {
      await page.getByTestId('validate-properties').fill('"not an object"');
      await page.getByTestId('validate-run').click();
    });
    await page.locator(`[data-testid="event-row"][data-name="${probeEvent}"]`).getByTestId('delete').click();
    await page.getByTestId('delete-confirm').waitFor();
    check('nothing deleted before the confirmation', (await apiCall(eventPath(probeEvent))).status, 200);
    await page.getByTestId('confirm-delete').click();
    await page.locator(`[data-testid="event-row"][data-name="${probeEvent}"]`).waitFor({ state: 'detached' });
    check('deleted event is gone from the API', (await apiCall(eventPath(probeEvent))).status, 404);
    created.splice(created.indexOf(eventPath(probeEvent)), 1);

    // Dead letters: the counts are the API's; the step's own letter is shown with its error and payload, and replayed
    const letter = await until('the TYPE_MISMATCH letter is in the DLQ', async () => {
      const d = await apiOk('/api/v1/dlq?code=TYPE_MISMATCH&limit=1000');
      return d.records.find((r) => r.event_id === dlqId) ?? null;
    });
    await page.getByTestId('tab-dead-letters').click();
    await page.getByTestId('dlq-counts').waitFor();
    const totals = await apiOk('/api/v1/dlq?limit=1');
    const shownCounts = Object.fromEntries(await page.locator('[data-testid="dlq-count-row"]').evaluateAll((trs) => trs.map((tr) => [tr.dataset.code,
      Number(tr.querySelector('[data-testid="dlq-count"]').textContent.replace(/,/g, ''))])));
    check('dead letters by code', shownCounts, totals.by_code);
    check('dead letters in all', number(await page.getByTestId('dlq-total').textContent()), totals.total);
    // a limit that is not a number: the API's error beside the limit field
    await expectFieldError('/api/v1/dlq?code=TYPE_MISMATCH&limit=many', undefined, 'limit', async () => {
      await page.getByTestId('dlq-code').fill('TYPE_MISMATCH');
      await page.getByTestId('dlq-limit').fill('many');
      await page.getByTestId('run').click();
    });
    await page.getByTestId('dlq-code').fill('TYPE_MISMATCH');
    await page.getByTestId('dlq-limit').fill('1000');
    await page.getByTestId('run').click();
    const letterRow = page.locator(`[data-testid="dlq-row"][data-event-id="${dlqId}"]`);
    await letterRow.waitFor();
    check('the letter shown', [await letterRow.getByTestId('cell-code').textContent(), await letterRow.getByTestId('cell-stage').textContent(),
      await letterRow.getByTestId('cell-field').textContent(), await letterRow.getByTestId('cell-message').textContent()],
    [letter.code, letter.stage, letter.field || '–', letter.message]);
    check('the letter payload', JSON.parse(await letterRow.getByTestId('cell-payload').textContent()), letter.original);
    await letterRow.getByTestId('select').check();
    await page.getByTestId('replay-selected').click();
    await page.getByTestId('replay-confirm').waitFor();
    const answer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/dlq/replay');
    await page.getByTestId('confirm-replay').click();
    const replay = await (await answer).json();
    await page.getByTestId('replay-result').waitFor();
    check('replay asked for the selected letter', sent['/api/v1/dlq/replay'], { offsets: [{ partition: letter.partition, offset: letter.offset }] });
    check('replay result shown', [number(await page.getByTestId('replayed-count').textContent()), number(await page.getByTestId('skipped-count').textContent())],
      [replay.replayed, replay.skipped.length]);
    check('replay replayed the letter', replay.replayed_offsets, [{ partition: letter.partition, offset: letter.offset }]);
    await shot('data-dlq');
  } finally {
    // restore: the step's own definitions go away again
    for (const path of created) {
      const current = await apiCall(path);
      if (current.status === 200) await apiOk(`${path}?version=${current.json.version}`, undefined, 'DELETE');
    }
  }
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
