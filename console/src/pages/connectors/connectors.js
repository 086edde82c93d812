// What the destination pages share: the API paths, the form ⇄ definition mapping of POST/PUT /api/v1/destinations
// (docs/connectors.md), and how live status, rates and latencies are written.
import { dateTime, pct } from '../../format.js';

export const base = '/api/v1/destinations';
export const pathOf = (id) => `${base}/${encodeURIComponent(id)}`;
export const TYPES = ['webhook', 'push', 'crm'];
export const TRIGGERS = [['segment_entered', 'segment entered'], ['segment_exited', 'segment exited'], ['event', 'event']];
export const OPS = ['eq', 'neq', 'exists', 'gt', 'lt'];
export const ERROR_CLASSES = ['exhausted', 'rejected', 'destination_disabled', 'blocked_address', 'render_failed'];
export const WINDOWS = [['30m', 'Last 30 minutes'], ['24h', 'Last 24 hours'], ['7d', 'Last 7 days']];
/** The fields of the definition, for the banner (errors under them are shown beside their inputs). */
export const FIELDS = ['id', 'name', 'type', 'url', 'secrets', 'headers', 'rate_limit_per_second', 'concurrency', 'enabled', 'subscriptions',
  'template', 'crm', 'version', 'body'];

/** The host (and port) of a destination URL, or the URL itself when it does not parse. */
export function host(url) {
  try {
    return new URL(url).host;
  } catch {
    return url || '–';
  }
}

/** A number typed in a field: blank → null, a number → that number, anything else as typed (the API refuses it). */
function numberOrText(text) {
  const t = String(text ?? '').trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

/** A condition's value as typed: a JSON number, boolean or "quoted string" as such, any other text as a string. */
function conditionValue(op, text) {
  if (op === 'exists') return undefined;
  const t = String(text ?? '').trim();
  if (op === 'gt' || op === 'lt') return numberOrText(t);
  if (t === 'true' || t === 'false' || t.startsWith('"') || (t !== '' && Number.isFinite(Number(t)))) {
    try {
      return JSON.parse(t);
    } catch {
      return t;
    }
  }
  return t;
}
const valueText = (v) => (v === undefined || v === null ? '' : typeof v === 'string' && (v === 'true' || v === 'false' || Number.isFinite(Number(v)))
  ? JSON.stringify(v) : String(v));

export function blankForm() {
  return {
    name: '', type: 'webhook', url: '', headers: [], rate: '50', concurrency: '4', enabled: true, subscriptions: [],
    template: { title: '', body: '', deep_link: '' }, crm: { mapping: [{ field: 'email', variable: 'traits.email' }], list: '', batch: '' },
  };
}
export const newSubscription = () => ({ on: 'segment_entered', segment: '', event: '', where: [] });
export const newCondition = () => ({ property: '', op: 'eq', value: '' });

/** The form of a stored destination. */
export function toForm(d) {
  const f = blankForm();
  f.name = d.name ?? '';
  f.type = d.type;
  f.url = d.url ?? '';
  f.headers = Object.entries(d.headers || {}).map(([name, value]) => ({ name, value }));
  f.rate = String(d.rate_limit_per_second ?? '');
  f.concurrency = String(d.concurrency ?? '');
  f.enabled = d.enabled !== false;
  f.subscriptions = (d.subscriptions || []).map((s) => ({ on: s.on, segment: s.segment ?? '', event: s.event ?? '',
    where: (s.where || []).map((c) => ({ property: c.property, op: c.op, value: valueText(c.value) })) }));
  if (d.template) f.template = { title: d.template.title ?? '', body: d.template.body ?? '', deep_link: d.template.deep_link ?? '' };
  if (d.crm) {
    f.crm = { mapping: Object.entries(d.crm.field_mapping || {}).map(([field, variable]) => ({ field, variable })), list: d.crm.list ?? '',
      batch: d.crm.batch_size === undefined ? '' : String(d.crm.batch_size) };
  }
  return f;
}

/** The API body of a form (without version and secrets: absent secrets keep the current ones, or one is generated). */
export function toBody(f) {
  const body = { name: f.name, type: f.type, url: f.url.trim() };
  const headers = f.headers.filter((h) => h.name.trim() !== '' || h.value !== '');
  if (headers.length > 0) body.headers = Object.fromEntries(headers.map((h) => [h.name.trim(), h.value]));
  const rate = numberOrText(f.rate);
  if (rate !== null) body.rate_limit_per_second = rate;
  const concurrency = numberOrText(f.concurrency);
  if (concurrency !== null) body.concurrency = concurrency;
  body.enabled = !!f.enabled;
  body.subscriptions = f.subscriptions.map((s) => {
    if (s.on === 'event') {
      const sub = { on: 'event', event: s.event.trim() };
      if (s.where.length > 0) {
        sub.where = s.where.map((c) => {
          const value = conditionValue(c.op, c.value);
          return value === undefined ? { property: c.property.trim(), op: c.op } : { property: c.property.trim(), op: c.op, value };
        });
      }
      return sub;
    }
    return { on: s.on, segment: s.segment };
  });
  if (f.type === 'push') {
    body.template = { title: f.template.title, body: f.template.body };
    if (f.template.deep_link.trim() !== '') body.template.deep_link = f.template.deep_link;
  }
  if (f.type === 'crm') {
    body.crm = { field_mapping: Object.fromEntries(f.crm.mapping.filter((m) => m.field.trim() !== '').map((m) => [m.field.trim(), m.variable.trim()])) };
    if (f.crm.list.trim() !== '') body.crm.list = f.crm.list.trim();
    const batch = numberOrText(f.crm.batch);
    if (batch !== null) body.crm.batch_size = batch;
  }
  return body;
}

/** The live status of a destination: disabled by its definition, else what this node's lanes say (idle before any delivery). */
export function liveStatus(d, statusEntry) {
  if (d && d.enabled === false) return 'disabled';
  return statusEntry?.status ?? 'idle';
}

export const rate = (s) => (s && s.success_rate !== null && s.success_rate !== undefined ? pct(s.success_rate) : '–');
export const ms = (v) => (v === null || v === undefined ? '–' : `${Math.round(v)} ms`);
export const latencies = (s) => (s?.latency_ms ? `${ms(s.latency_ms.p50)} / ${ms(s.latency_ms.p95)} / ${ms(s.latency_ms.p99)}` : '–');
export const at = (iso) => (iso ? dateTime(new Date(iso)) : '–');
