// The audience rule language (docs/audiences.md) as the rule builder edits it: the builder's model *is* the API's
// JSON (a node is an object with exactly one key), so the raw JSON view and the builder never disagree. What each
// evaluator accepts mirrors control-plane io.beacon.control.audience.RuleJson (parseHistory / parseRealtime); the
// API stays the judge: a node the builder would not offer (typed in the JSON view) is sent, and the API's refusal
// is shown beside it.

export const WINDOWS = ['1h', '24h', '7d', '30d', 'all'];
export const CMP_OPS = [['gte', '≥'], ['gt', '>'], ['lte', '≤'], ['lt', '<'], ['eq', '=']];
export const TRAIT_OPS = ['eq', 'neq', 'contains', 'not_contains', 'regex', 'not_regex', 'gt', 'gte', 'lt', 'lte', 'between', 'in', 'not_in',
  'is_set', 'is_not_set'];

export const KIND_LABELS = {
  event_count: 'Event count',
  sequence: 'Sequence (A then B)',
  last_seen_within: 'Last seen within',
  not_seen_for: 'Not seen for',
  trait: 'Trait',
  score: 'Score',
  revenue: 'Revenue',
  and: 'Group: all of',
  or: 'Group: any of',
  not: 'Not',
};

/** What each evaluator takes: cohorts = history (ClickHouse), segments = realtime (the engine). */
export const EVALUATORS = {
  history: {
    label: 'cohorts (ClickHouse, whole history)',
    kinds: ['event_count', 'sequence', 'last_seen_within', 'not_seen_for', 'trait', 'and', 'or', 'not'],
    days: true, anyEvent: true, filters: true,
    traitOps: TRAIT_OPS,
  },
  realtime: {
    label: 'realtime segments (the engine)',
    kinds: ['event_count', 'last_seen_within', 'not_seen_for', 'trait', 'score', 'revenue', 'and', 'or', 'not'],
    days: false, anyEvent: false, filters: false,
    traitOps: TRAIT_OPS.filter((op) => op !== 'regex' && op !== 'not_regex'),
  },
};

/** Why `evaluator` refuses the node (its kind or its options), or null when it takes it. */
export function unsupported(evaluator, node) {
  const caps = EVALUATORS[evaluator];
  const kind = kindOf(node);
  if (!kind) return null;
  if (!caps.kinds.includes(kind)) {
    return evaluator === 'realtime'
      ? `${KIND_LABELS[kind] ?? kind} is evaluated by cohorts only`
      : `${KIND_LABELS[kind] ?? kind} is kept by the engine: realtime segments only`;
  }
  const v = node[kind];
  if (kind === 'event_count' && v && typeof v === 'object') {
    if (!caps.days && v.days !== undefined) return 'calendar days are evaluated by cohorts only (segments: a rolling window)';
    if (!caps.anyEvent && !v.event) return 'realtime segments count events by name: choose an event';
    if (!caps.filters && Array.isArray(v.filters) && v.filters.length) return 'event filters are evaluated by cohorts only';
  }
  if (kind === 'trait' && v && !caps.traitOps.includes(v.op)) return `${v.op} is evaluated by cohorts only`;
  return null;
}

export function kindOf(node) {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return null;
  const keys = Object.keys(node);
  return keys.length === 1 ? keys[0] : null;
}

export const isGroup = (kind) => kind === 'and' || kind === 'or' || kind === 'not';

/** A new node of `kind`, ready to edit (`event` = a suggested event name). */
export function blank(kind, evaluator, event = '') {
  switch (kind) {
    case 'event_count': return { event_count: { ...(event || evaluator === 'realtime' ? { event } : {}), window: '7d', op: 'gte', value: 1 } };
    case 'sequence': return { sequence: { first: { event }, then: { event }, within: 'P1D', days: 7 } };
    case 'last_seen_within': return { last_seen_within: 'P7D' };
    case 'not_seen_for': return { not_seen_for: 'P7D' };
    case 'trait': return { trait: { name: '', op: 'eq', value: '' } };
    case 'score': return { score: { name: '', op: 'gte', value: 0.5 } };
    case 'revenue': return { revenue: { window: '30d', op: 'gte', value: 100 } };
    case 'and': return { and: [blank('event_count', evaluator, event)] };
    case 'or': return { or: [blank('event_count', evaluator, event)] };
    default: return { not: blank('event_count', evaluator, event) };
  }
}

// ---- durations: ISO-8601 as the API writes them (P3D, PT24H, PT90M) ------------------------------------------------

export const DURATION_UNITS = [['M', 'minutes'], ['H', 'hours'], ['D', 'days']];

/** {amount, unit} of a simple ISO duration, or null when it is not one of P<n>D / PT<n>H / PT<n>M. */
export function parseDuration(text) {
  const m = /^P(?:(\d+)D|T(\d+)([HM]))$/.exec(String(text ?? ''));
  if (!m) return null;
  return m[1] !== undefined ? { amount: Number(m[1]), unit: 'D' } : { amount: Number(m[2]), unit: m[3] };
}
export function durationText(amount, unit) {
  const n = Math.max(0, Math.trunc(Number(amount) || 0));
  return unit === 'D' ? `P${n}D` : `PT${n}${unit}`;
}

// ---- trait values ------------------------------------------------------------------------------------------------

const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
/** A typed scalar: a JSON number or boolean when the text is exactly one, otherwise the text. */
export function scalar(text) {
  const t = String(text ?? '').trim();
  if (NUMBER.test(t)) return Number(t);
  if (t === 'true') return true;
  if (t === 'false') return false;
  return t;
}
export const NUMERIC_TRAIT_OPS = new Set(['gt', 'gte', 'lt', 'lte']);
export const TEXT_TRAIT_OPS = new Set(['contains', 'not_contains', 'regex', 'not_regex']);

/** The trait's value for `op` from the text typed for it. */
export function traitValue(op, text) {
  if (op === 'is_set' || op === 'is_not_set') return undefined;
  if (op === 'in' || op === 'not_in') return String(text ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '').map(scalar);
  if (NUMERIC_TRAIT_OPS.has(op)) return scalar(text);
  if (TEXT_TRAIT_OPS.has(op)) return String(text ?? '');
  return scalar(text);
}
export function traitText(value) {
  if (value === undefined || value === null) return '';
  return Array.isArray(value) ? value.join(', ') : String(value);
}

// ---- which error belongs to which node ----------------------------------------------------------------------------

/**
 * The API error's message when it names this node: its own path, or (a condition) anything inside it, or (a group)
 * the group's key itself — a group's children show their own errors.
 */
export function nodeError(error, path, kind) {
  const f = error?.field;
  if (!f) return null;
  if (f === path) return error.message;
  if (!kind) return null;
  const own = `${path}.${kind}`;
  if (isGroup(kind)) return f === own ? error.message : null;
  return f === own || f.startsWith(`${own}.`) || f.startsWith(`${own}[`) ? error.message : null;
}

/** True when a node of the rule at `path` shows the error (so the form's banner does not repeat it). */
export function ruleClaims(error, node, path) {
  const kind = kindOf(node);
  if (nodeError(error, path, kind)) return true;
  if (kind === 'and' || kind === 'or') return Array.isArray(node[kind]) && node[kind].some((c, i) => ruleClaims(error, c, `${path}.${kind}[${i}]`));
  if (kind === 'not') return ruleClaims(error, node.not, `${path}.not`);
  return false;
}

/** A one-line reading of a rule, for lists. */
export function summary(node) {
  const kind = kindOf(node);
  const v = kind ? node[kind] : null;
  const cmp = (op) => (CMP_OPS.find(([o]) => o === op) || [op, op])[1];
  const span = (x) => (x?.days !== undefined ? `last ${x.days} days` : x?.window);
  switch (kind) {
    case 'and': case 'or': return (v || []).map(summary).map((s) => (s.includes(' and ') || s.includes(' or ') ? `(${s})` : s)).join(` ${kind} `);
    case 'not': return `not ${summary(v)}`;
    case 'event_count': return `${v?.event || 'any event'} ${cmp(v?.op)} ${v?.value} in ${span(v)}`;
    case 'sequence': return `${v?.first?.event || 'any event'} then ${v?.then?.event || 'any event'} within ${v?.within}`;
    case 'last_seen_within': return `seen within ${v}`;
    case 'not_seen_for': return `not seen for ${v}`;
    case 'trait': return `${v?.name} ${v?.op}${v?.value === undefined ? '' : ` ${JSON.stringify(v.value)}`}`;
    case 'score': return `score ${v?.name} ${cmp(v?.op)} ${v?.value}`;
    case 'revenue': return `revenue ${cmp(v?.op)} ${v?.value} in ${v?.window}`;
    default: return JSON.stringify(node);
  }
}
