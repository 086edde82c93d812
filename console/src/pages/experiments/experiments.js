// What the experiment pages share: the API paths, the form ⇄ document mapping of POST/PUT /api/v1/experiments,
// and how results and traffic are written (lift and interval as signed percentages).
import { dateTime, num } from '../../format.js';

export const base = '/api/v1/experiments';
export const pathOf = (key) => `${base}/${encodeURIComponent(key)}`;

export const STATUSES = ['draft', 'running', 'stopped'];
export const METRIC_TYPES = ['conversion', 'count', 'sum', 'revenue'];

/** One entry per non-empty line. */
export function lines(text) {
  return String(text || '').split('\n').map((s) => s.trim()).filter((s) => s !== '');
}

/** A number typed in a field: blank → null, anything else as typed (the API refuses what is not a number). */
function numberOrNull(text) {
  const t = String(text ?? '').trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

/** JSON typed in a textarea: blank → null; not JSON → a client-side error naming the API's field. */
export class FormError extends Error {
  constructor(field, message) {
    super(message);
    this.code = 'MALFORMED_JSON';
    this.field = field;
    this.status = 0;
  }
}
function jsonOrNull(text, field) {
  const t = String(text ?? '').trim();
  if (t === '') return null;
  try {
    return JSON.parse(t);
  } catch (e) {
    throw new FormError(field, `${field} is not JSON: ${e.message}`);
  }
}

const blankMetric = () => ({ key: '', event: '', type: 'conversion', property: '', windowHours: '72' });

export function blankForm() {
  return {
    key: '', name: '', description: '', status: 'draft',
    split: 'equal', variations: [{ key: 'control', name: 'Control', weight: '0.5' }, { key: 'treatment', name: 'Treatment', weight: '0.5' }],
    coverage: '1', hashAttribute: 'user_id', fallbackAttribute: '', hashVersion: '2', seed: '',
    namespace: { id: '', start: '0', end: '1' },
    condition: '', segments: '', goals: [blankMetric()], guardrails: [], forced: '',
  };
}
export const newMetric = blankMetric;

const metricForm = (m) => ({ key: m.key || '', event: m.event || '', type: m.type || 'conversion', property: m.property || '',
  windowHours: m.window_hours === undefined || m.window_hours === null ? '' : String(m.window_hours) });

/** The form of a stored experiment. */
export function toForm(e) {
  const weighted = (e.variations || []).some((v) => v.weight !== undefined && v.weight !== null);
  return {
    key: e.key, name: e.name || '', description: e.description || '', status: e.status,
    split: weighted ? 'weights' : 'equal',
    variations: (e.variations || []).map((v) => ({ key: v.key, name: v.name || '', weight: v.weight === undefined || v.weight === null ? '' : String(v.weight) })),
    coverage: String(e.coverage ?? 1), hashAttribute: e.hash_attribute || '', fallbackAttribute: e.fallback_attribute || '',
    hashVersion: String(e.hash_version ?? 2), seed: e.seed || '',
    namespace: e.namespace ? { id: e.namespace.id, start: String(e.namespace.start), end: String(e.namespace.end) } : { id: '', start: '0', end: '1' },
    condition: e.targeting?.condition ? JSON.stringify(e.targeting.condition, null, 2) : '',
    segments: (e.targeting?.segments || []).join('\n'),
    goals: (e.goal_metrics || []).map(metricForm), guardrails: (e.guardrail_metrics || []).map(metricForm),
    forced: e.forced_variations && Object.keys(e.forced_variations).length ? JSON.stringify(e.forced_variations, null, 2) : '',
  };
}

const metricBody = (m) => {
  const out = { event: m.event.trim(), type: m.type };
  if (m.key.trim()) out.key = m.key.trim();
  if (m.property.trim()) out.property = m.property.trim();
  const w = numberOrNull(m.windowHours);
  if (w !== null) out.window_hours = w;
  return out;
};

/**
 * The API document of a form. `stored` (when editing) supplies what the form does not edit — the bucket versions and
 * the start/end times — so a PUT replaces the experiment with exactly the edited fields changed.
 */
export function toBody(f, stored = null) {
  const body = stored ? { ...stored } : {};
  delete body.version;
  body.key = f.key.trim();
  body.name = f.name.trim() || null;
  body.description = f.description.trim() || null;
  body.status = f.status;
  body.variations = f.variations.map((v) => {
    const out = { key: v.key.trim() };
    if (v.name.trim()) out.name = v.name.trim();
    if (f.split === 'weights') out.weight = numberOrNull(v.weight);
    return out;
  });
  body.coverage = numberOrNull(f.coverage);
  body.hash_attribute = f.hashAttribute.trim() || null;
  body.fallback_attribute = f.fallbackAttribute.trim() || null;
  body.hash_version = numberOrNull(f.hashVersion);
  body.seed = f.seed.trim() || null;
  body.namespace = f.namespace.id.trim()
    ? { id: f.namespace.id.trim(), start: numberOrNull(f.namespace.start), end: numberOrNull(f.namespace.end) }
    : null;
  const condition = jsonOrNull(f.condition, 'targeting.condition');
  const segments = lines(f.segments);
  body.targeting = condition !== null || segments.length ? { condition, segments } : null;
  body.goal_metrics = f.goals.map(metricBody);
  body.guardrail_metrics = f.guardrails.map(metricBody);
  body.forced_variations = jsonOrNull(f.forced, 'forced_variations') ?? {};
  return body;
}

/** A relative change as a signed percentage with one decimal: +12.3%, -4.0%, 0.0%. */
export function signedPct(v) {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const p = (v * 100).toFixed(1);
  return v > 0 && p !== '0.0' ? `+${p}%` : p === '-0.0' ? '0.0%' : `${p}%`;
}

/** "[lower, upper]" of an interval of the lift. */
export function intervalText(lower, upper) {
  return `[${signedPct(lower)}, ${signedPct(upper)}]`;
}

/** "50% / 50% of 100%": the split, the coverage and the namespace range. */
export function trafficText(e) {
  const vs = e.variations || [];
  const weights = vs.every((v) => v.weight !== undefined && v.weight !== null)
    ? vs.map((v) => v.weight)
    : vs.map(() => 1 / Math.max(1, vs.length));
  const ns = e.namespace ? ` in namespace ${e.namespace.id} [${num(e.namespace.start)}, ${num(e.namespace.end)})` : '';
  return `${weights.map((w) => `${num(Math.round(w * 1000) / 10)}%`).join(' / ')} of ${num(Math.round((e.coverage ?? 1) * 1000) / 10)}%${ns}`;
}

export const when = (ms) => (ms === null || ms === undefined ? '–' : dateTime(new Date(ms)));

/** The error of `error` only when it names exactly `field` (a list's own error, not one of its items'). */
export function exactly(error, field) {
  return error && error.field === field ? error : null;
}
