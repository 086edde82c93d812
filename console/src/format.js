import { session } from './session.js';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

export function num(v) {
  if (v === null || v === undefined || v === '') return '–';
  const n = Number(v);
  if (!Number.isFinite(n)) return String(v);
  return Number.isInteger(n) ? integer.format(n) : decimal.format(n);
}

export function pct(v) {
  if (v === null || v === undefined) return '–';
  return `${(v * 100).toFixed(1)}%`;
}

export function duration(ms) {
  if (ms === null || ms === undefined) return '–';
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(0)} s`;
  if (s < 3600) return `${(s / 60).toFixed(1)} min`;
  if (s < 86400) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86400).toFixed(1)} d`;
}

/** The project's time zone (IANA id); UTC until one is known. */
export function zone() {
  return session.current()?.timezone || 'UTC';
}

/** The local date (YYYY-MM-DD) of an instant in the project's zone. */
export function localDate(instant = new Date(), tz = zone()) {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(instant);
  const get = (t) => parts.find((p) => p.type === t).value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** An instant as date and time in the project's zone. */
export function dateTime(instant, tz = zone()) {
  return new Intl.DateTimeFormat('en-GB', { timeZone: tz, dateStyle: 'medium', timeStyle: 'medium' }).format(instant);
}

/** A local date plus `days` (calendar arithmetic on the date, no zone involved). */
export function addDays(date, days) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
