// The data-quality page's pure logic: the range it asks for (presets ending now, or a custom range typed in the
// project's zone), and the API's answers shaped for the chart, the window table, the stage bars and the alerts.
import { num } from '../../format.js';

const HOUR_MS = 3_600_000;

export const PRESETS = [['24h', 'Last 24 hours'], ['7d', 'Last 7 days'], ['31d', 'Last 31 days'], ['custom', 'Custom']];
const PRESET_MS = { '24h': 24 * HOUR_MS, '7d': 7 * 24 * HOUR_MS, '31d': 31 * 24 * HOUR_MS };

/** The stages of the pipeline in order, as the counts API names them ({@code totals}). */
export const STAGES = [
  ['accepted', 'Accepted by the gateway'],
  ['gateway_rejected', 'Refused by the gateway'],
  ['dead_lettered', 'Dead-lettered'],
  ['duplicate', 'Duplicates removed'],
  ['written', 'Written (valid)'],
  ['stored', 'Stored in ClickHouse'],
];

/** Milliseconds `instant` is ahead of UTC in `tz` (the zone's offset at that instant). */
export function zoneOffsetMs(instantMs, tz) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(instantMs));
  const get = (t) => Number(parts.find((p) => p.type === t).value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

/** A `datetime-local` value ("2026-12-08T10:00") read in `tz` as an instant (epoch ms); NaN when it is no date-time. */
export function zonedToInstant(local, tz) {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(local || '')) return NaN;
  const wall = Date.parse(`${local.length === 16 ? `${local}:00` : local}Z`);
  if (Number.isNaN(wall)) return NaN;
  // the offset at the guess, then at the result (a guess on the other side of a DST change moves it once more)
  let t = wall - zoneOffsetMs(wall, tz);
  t = wall - zoneOffsetMs(t, tz);
  return t;
}

/** An instant as a `datetime-local` value in `tz` (minutes). */
export function instantToZoned(instantMs, tz) {
  return new Date(instantMs + zoneOffsetMs(instantMs, tz)).toISOString().slice(0, 16);
}

/**
 * The API's {from, to} for the picker's range: a preset ends now; a custom range is read in the project's zone (a
 * value that is no date-time is sent as typed, so the API names the field).
 */
export function toApiRange(range, tz, nowMs = Date.now()) {
  if (range.preset !== 'custom') {
    return { from: new Date(nowMs - PRESET_MS[range.preset]).toISOString(), to: new Date(nowMs).toISOString() };
  }
  const end = (v) => {
    const t = zonedToInstant(v, tz);
    return Number.isNaN(t) ? (v || '') : new Date(t).toISOString();
  };
  return { from: end(range.from), to: end(range.to) };
}

/** The query string of a range ({from, to}, plus extra parameters). */
export function rangeQuery(r, extra = {}) {
  return new URLSearchParams({ from: r.from, to: r.to, ...extra }).toString();
}

/** An ISO-8601 duration of whole hours/minutes/seconds ("PT1H", "PT30M") in ms; null when it is none. */
export function durationMs(iso) {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(iso || '');
  if (!m || iso === 'PT') return null;
  return ((Number(m[1] || 0) * 60 + Number(m[2] || 0)) * 60 + Number(m[3] || 0)) * 1000;
}

/** A window length for people ("1 h", "1 min", "90 min"). */
export function lengthLabel(ms) {
  if (ms === null) return '–';
  if (ms % HOUR_MS === 0) return `${ms / HOUR_MS} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${ms / 1000} s`;
}

/** A loss rate as a percentage with two decimals ("7.04%"); rates are small, so one decimal would hide them. */
export function ratePct(rate) {
  if (rate === null || rate === undefined || !Number.isFinite(Number(rate))) return '–';
  return `${(Number(rate) * 100).toFixed(2)}%`;
}

const timeFmt = (tz) => new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const dayFmt = (tz) => new Intl.DateTimeFormat('en-GB', { timeZone: tz, day: 'numeric', month: 'short' });

/** A window as "8 Dec, 15:30–16:30" in `tz`. */
export function windowLabel(startMs, lengthMs, tz) {
  const t = timeFmt(tz);
  return `${dayFmt(tz).format(startMs)}, ${t.format(startMs)}–${t.format(startMs + lengthMs)}`;
}

/**
 * The loss answer as rows, oldest first: each window with its counts, lost, rate, completeness and alert, and its end.
 * A window the API did not list had no event at all.
 */
export function lossRows(loss) {
  const length = durationMs(loss?.window);
  return (loss?.windows || []).map((w) => ({
    ...w,
    startMs: Date.parse(w.start),
    endMs: Date.parse(w.start) + (length ?? 0),
  })).sort((a, b) => a.startMs - b.startMs);
}

/** The chart of the loss rate per window: complete windows solid (red when they alert), incomplete ones hollow and labelled. */
export function lossChart(rows, loss, tz) {
  const length = durationMs(loss?.window) ?? HOUR_MS;
  const labels = rows.map((r) => windowLabel(r.startMs, length, tz));
  const bar = (r) => {
    const value = Number((r.rate * 100).toFixed(4));
    if (!r.complete) {
      return {
        value,
        itemStyle: { color: 'rgba(84, 112, 198, 0.12)', borderColor: '#5470c6', borderType: 'dashed', borderWidth: 1 },
        label: { show: true, position: 'top', formatter: 'incomplete', color: '#6b7794', fontSize: 11 },
      };
    }
    return { value, itemStyle: { color: r.alert ? '#ee6666' : '#5470c6' } };
  };
  return {
    animation: false,
    tooltip: {
      trigger: 'axis',
      formatter: (items) => {
        const r = rows[items[0].dataIndex];
        return `${labels[items[0].dataIndex]}<br>loss ${ratePct(r.rate)} (${num(r.lost)} of ${num(r.accepted)})`
          + `${r.complete ? '' : '<br>incomplete: events may still be on their way'}${r.alert ? '<br>alert' : ''}`;
      },
    },
    grid: { left: 60, right: 20, top: 30, bottom: 50 },
    xAxis: { type: 'category', data: labels, axisLabel: { hideOverlap: true } },
    yAxis: { type: 'value', name: 'loss rate', axisLabel: { formatter: (v) => `${v}%` } },
    series: [
      { name: 'Loss rate', type: 'bar', barMaxWidth: 36, data: rows.map(bar) },
      {
        name: 'Threshold', type: 'line', symbol: 'none', data: rows.map(() => Number(((loss?.threshold ?? 0) * 100).toFixed(4))),
        lineStyle: { type: 'dashed', color: '#b3261e', width: 1 }, itemStyle: { color: '#b3261e' }, tooltip: { show: false },
      },
    ],
  };
}

/** The stage totals of the range, in pipeline order, each with its share of the accepted copies (for the bars). */
export function stageBars(totals) {
  const t = totals || {};
  const accepted = Number(t.accepted || 0);
  const widest = Math.max(1, ...STAGES.map(([s]) => Number(t[s] || 0)));
  return STAGES.map(([stage, label]) => {
    const n = Number(t[stage] || 0);
    return { stage, label, n, share: accepted > 0 && stage !== 'gateway_rejected' ? n / accepted : null, width: (100 * n) / widest };
  });
}

/** The alerts newest first, with a label of the window they judge ("" when they judge none). */
export function alertRows(alerts, lengthMs, tz) {
  return [...(alerts || [])].sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || String(a.id).localeCompare(String(b.id)))
    .map((a) => ({ ...a, windowLabel: a.window_start ? windowLabel(Date.parse(a.window_start), lengthMs ?? HOUR_MS, tz) : '' }));
}
