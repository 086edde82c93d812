// What the journey pages share: the API paths, the editor's template and document, the lifecycle moves the API allows
// (JourneyStatus.canMoveTo) and the graph walk (successors of a step, BFS order from the entry) for the canvas and the funnel.

export const base = '/api/v1/journeys';
export const pathOf = (id) => `${base}/${encodeURIComponent(id)}`;

/** A small valid journey for "New journey": no send step, so it needs no destination. */
export const TEMPLATE = {
  name: 'Welcome',
  description: 'Waits two days for a purchase after signing up',
  priority: 0,
  trigger: { type: 'event', event: 'signup' },
  entry: 'wait_purchase',
  steps: {
    wait_purchase: { type: 'wait_until', event: { event: 'purchase' }, max_wait: 'P2D', next: 'purchased', timeout_next: 'cool_down' },
    cool_down: { type: 'delay', duration: 'PT12H', next: 'done' },
    purchased: { type: 'exit' },
    done: { type: 'exit' },
  },
  exit_criteria: [{ event: { event: 'unsubscribe' } }],
  re_entry: { policy: 'once' },
};

/** The stored journey as the editor shows it: the document without what the store adds. */
export function editable(journey) {
  const { project_id: _p, version: _v, updated_at: _u, ...doc } = journey;
  return doc;
}

export const pretty = (doc) => JSON.stringify(doc, null, 2);

/** The text of a JSON field: {value} when it parses to an object, else {error: a sentence}. Blank → {value: null} when allowed. */
export function parseObject(text, { blankOk = false } = {}) {
  const t = String(text ?? '').trim();
  if (t === '') return blankOk ? { value: null } : { error: 'Empty: enter the journey definition as a JSON object.' };
  let value;
  try {
    value = JSON.parse(t);
  } catch (e) {
    return { error: `Not valid JSON: ${e.message}. Nothing was sent.` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { error: 'Must be a JSON object ({ … }). Nothing was sent.' };
  return { value };
}

/**
 * Every problem of an API error: its `errors` list, or the one error it names. The first is shown with the error's own
 * message (as FieldError does), the others with their messages from `errors`.
 */
export function problems(error) {
  if (!error) return [];
  const all = error.errors && error.errors.length > 0 ? error.errors : error.field ? [{ field: error.field, message: error.message }] : [];
  return all.map((p, i) => (i === 0 && p.field === error.field ? { field: p.field, message: error.message } : p));
}

/** The lifecycle buttons a status allows: [label, target status, testid]. */
export function moves(status) {
  switch (status) {
    case 'draft': return [['Go live', 'live', 'go-live'], ['Archive', 'archived', 'archive']];
    case 'live': return [['Pause', 'paused', 'pause'], ['Archive', 'archived', 'archive']];
    case 'paused': return [['Resume', 'live', 'resume'], ['Archive', 'archived', 'archive']];
    default: return [];
  }
}
export const deletable = (status) => status === 'draft' || status === 'archived';

/** The successors of a step: [[field, step id]] (next, timeout_next, then, else, branches[i].next). */
export function successors(step) {
  const out = [];
  if (!step || typeof step !== 'object') return out;
  for (const f of ['next', 'timeout_next', 'then', 'else']) if (typeof step[f] === 'string') out.push([f, step[f]]);
  (Array.isArray(step.branches) ? step.branches : []).forEach((b, i) => {
    if (b && typeof b.next === 'string') out.push([`branches[${i}].next${b.percent !== undefined ? ` (${b.percent}%)` : ''}`, b.next]);
  });
  return out;
}

/** The steps in BFS order from the entry, each with its depth; steps not reached from the entry come last. */
export function bfs(def) {
  const steps = def?.steps || {};
  const depth = new Map();
  const order = [];
  const queue = [];
  if (def?.entry && steps[def.entry]) {
    depth.set(def.entry, 0);
    queue.push(def.entry);
  }
  while (queue.length > 0) {
    const id = queue.shift();
    order.push(id);
    for (const [, to] of successors(steps[id])) {
      if (steps[to] && !depth.has(to)) {
        depth.set(to, depth.get(id) + 1);
        queue.push(to);
      }
    }
  }
  const maxDepth = order.length > 0 ? Math.max(...order.map((id) => depth.get(id))) : -1;
  for (const id of Object.keys(steps).sort()) {
    if (!depth.has(id)) {
      depth.set(id, maxDepth + 1);
      order.push(id);
    }
  }
  return order.map((id) => ({ id, depth: depth.get(id), step: steps[id] }));
}

/** A step's figures from GET …/stats (0 when the step has none). */
export function stepCounts(stats, id) {
  const s = stats?.steps?.[id] || {};
  return { reached: s.reached ?? 0, inFlight: stats?.in_flight?.[id] ?? 0, sent: s.sent ?? 0, capped: s.capped ?? 0, suppressed: s.suppressed ?? 0 };
}

// ---- dry run (POST …/{id}/simulate; docs/journeys.md, "Dry run") -----------------------------------------------------

export const simulatePath = (id) => `${pathOf(id)}/simulate`;

/** The body of a person's dry run: the id as typed (the API names `user_id` when it is blank), and a draft when given. */
export function personBody(userId, definition = null) {
  const body = { user_id: String(userId ?? '').trim() };
  return definition ? { ...body, definition } : body;
}

/** The body of a forecast: the dates as the inputs hold them (YYYY-MM-DD); the API names `from` or `to` when one is wrong. */
export const forecastBody = (from, to) => ({ from: from ?? '', to: to ?? '' });

/**
 * The rows of a simulated path, in time order: each event with its step, what it did (the channel of a send, the reason of
 * an exit, a cap or a suppression) and the wait since the event before it (0 for the first).
 */
export function pathRows(path) {
  const events = Array.isArray(path?.events) ? path.events : [];
  return events.map((e, i) => ({
    at: e.at,
    kind: e.kind,
    step: e.step_id ?? '',
    detail: [e.channel, e.reason].filter((x) => x !== null && x !== undefined && x !== '').join(' · '),
    waitMs: i === 0 ? 0 : Math.max(0, Date.parse(e.at) - Date.parse(events[i - 1].at)),
  }));
}

/** A send's message fields as one line ("title: Hi · body: …"). */
export const sendFields = (fields) => Object.entries(fields || {}).map(([k, v]) => `${k}: ${v}`).join(' · ');

/** Per-key counts of a forecast ({"email": 3}) as [[key, n]] sorted by key; [] when there are none. */
export const countRows = (counts) => Object.entries(counts || {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * A dry run's refusal of the draft it was given, as the editor shows Validate's: the API names `definition.<path>`, the
 * editor `<path>`. Null when the error is not about the draft (the person id, a network failure, …).
 */
export function draftError(error) {
  const inDraft = (f) => typeof f === 'string' && f.startsWith('definition.');
  if (!error || !inDraft(error.field)) return null;
  const strip = (f) => (inDraft(f) ? f.slice('definition.'.length) : f);
  return { status: error.status, code: error.code, message: error.message, field: strip(error.field),
    errors: (error.errors || []).map((p) => ({ ...p, field: strip(p.field) })) };
}
