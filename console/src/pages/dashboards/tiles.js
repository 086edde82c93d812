import { addDays, localDate, num, pct } from '../../format.js';

// What a dashboard tile shows of an insight's answer: an ECharts option and a short summary table (label, value),
// for every analysis of POST /api/v1/insights/{analysis}. Pure functions of the answer.

const COLORS = ['#5470c6', '#91cc75', '#fac858', '#ee6666', '#73c0de', '#3ba272', '#fc8452', '#9a60b4', '#ea7ccc', '#2f4554'];
const LIFECYCLE = [['new', '#3ba272'], ['returning', '#5470c6'], ['resurrecting', '#fac858'], ['dormant', '#ee6666']];

/** A trend line's name, as the Trends builder's legend writes it. */
export function lineName(l) {
  const base = `${l.series}: ${l.event ?? 'any event'} (${l.math})`;
  const bd = l.breakdown_value === null || l.breakdown_value === undefined ? '' : ` · ${l.breakdown_value === '' ? '(none)' : l.breakdown_value}`;
  return base + bd + (l.period === 'previous' ? ' · previous period' : '');
}

/** The API date_range of a dashboard's shared range: {last_days} ends today in the project's zone (inclusive). */
export function sharedRangeToApi(range, tz) {
  if (!range) return null;
  if (range.last_days) {
    const to = localDate(new Date(), tz);
    return { from: addDays(to, -(range.last_days - 1)), to };
  }
  return { from: range.from, to: range.to };
}

/** The query a tile runs: the saved query, its date_range replaced by the dashboard's shared range when set. */
export function tileQuery(savedQuery, shared) {
  const q = JSON.parse(JSON.stringify(savedQuery)); // a plain copy (the saved query may be a reactive proxy)
  if (shared) q.date_range = shared;
  return q;
}

const grid = { left: 44, right: 12, top: 12, bottom: 28 };
const bars = (labels, values, name) => ({
  animation: false, tooltip: { trigger: 'axis' }, grid,
  xAxis: { type: 'category', data: labels }, yAxis: { type: 'value' },
  series: [{ name, type: 'bar', data: values, itemStyle: { color: COLORS[0] } }],
});

/** {option, rows: [{label, value, color?}], empty} for `analysis`'s answer `r`. */
export function tileView(analysis, r) {
  switch (analysis) {
    case 'trends': {
      const lines = (r.series || []).map((l, i) => ({ name: lineName(l), color: COLORS[i % COLORS.length], values: l.values,
        total: l.values.reduce((a, v) => a + (v ?? 0), 0), dashed: l.period === 'previous' }));
      return {
        empty: lines.every((l) => l.total === 0),
        option: { animation: false, tooltip: { trigger: 'axis' }, grid, xAxis: { type: 'category', data: r.buckets }, yAxis: { type: 'value' },
          series: lines.map((l) => ({ name: l.name, type: 'line', data: l.values, itemStyle: { color: l.color },
            lineStyle: l.dashed ? { type: 'dashed' } : undefined })) },
        rows: lines.map((l) => ({ label: l.name, value: num(l.total), color: l.color })),
        valueHeader: 'total',
      };
    }
    case 'funnels': {
      const steps = r.groups?.[0]?.steps || [];
      return {
        empty: steps.length === 0 || steps[0].count === 0,
        option: bars(steps.map((s, i) => `${i + 1}. ${s.event ?? 'any event'}`), steps.map((s) => s.count), 'persons'),
        rows: steps.map((s, i) => ({ label: `${i + 1}. ${s.event ?? 'any event'}`, value: num(s.count) })),
        valueHeader: 'persons',
      };
    }
    case 'retention': {
      const avg = r.average || [];
      return {
        empty: (r.cohorts || []).every((c) => c.size === 0),
        option: { animation: false, tooltip: { trigger: 'axis' }, grid, xAxis: { type: 'category', data: avg.map((a) => `${r.period} ${a.offset}`) },
          yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
          series: [{ name: 'average', type: 'line', data: avg.map((a) => (a.rate === null ? null : Math.round(a.rate * 1000) / 10)) }] },
        rows: avg.map((a) => ({ label: `${r.period} ${a.offset}`, value: pct(a.rate) })),
        valueHeader: 'average retained',
      };
    }
    case 'stickiness':
      return {
        empty: r.persons === 0,
        option: bars((r.counts || []).map((c) => `${c.intervals}`), (r.counts || []).map((c) => c.persons), 'persons'),
        rows: (r.counts || []).map((c) => ({ label: `${c.intervals} of ${r.intervals} ${r.interval}s`, value: num(c.persons) })),
        valueHeader: 'persons',
      };
    case 'distribution':
      return {
        empty: r.persons === 0,
        option: bars((r.buckets || []).map((b) => b.label), (r.buckets || []).map((b) => b.persons), 'persons'),
        rows: (r.buckets || []).map((b) => ({ label: `${b.label} events`, value: num(b.persons) })),
        valueHeader: 'persons',
      };
    case 'lifecycle': {
      const periods = r.periods || [];
      return {
        empty: periods.every((p) => LIFECYCLE.every(([s]) => p[s] === 0)),
        option: { animation: false, tooltip: { trigger: 'axis' }, grid, xAxis: { type: 'category', data: periods.map((p) => p.period) },
          yAxis: { type: 'value' },
          series: LIFECYCLE.map(([s, color]) => ({ name: s, type: 'bar', stack: 'lifecycle', itemStyle: { color }, data: periods.map((p) => p[s]) })) },
        rows: LIFECYCLE.map(([s, color]) => ({ label: s, value: num(periods.reduce((a, p) => a + (p[s] ?? 0), 0)), color })),
        valueHeader: 'sum over periods',
      };
    }
    case 'paths': {
      const nodes = r.nodes || [];
      const name = (n) => `${n.step}: ${n.label}`;
      const links = r.links || [];
      return {
        empty: r.sessions === 0,
        option: { animation: false, tooltip: { trigger: 'item' },
          series: [{ type: 'sankey', left: 10, right: 120, top: 10, bottom: 10, emphasis: { focus: 'adjacency' },
            data: nodes.map((n) => ({ name: name(n), value: n.sessions })),
            links: links.map((l) => ({ source: name(nodes[l.source]), target: name(nodes[l.target]), value: l.value })) }] },
        rows: [...links].sort((a, b) => b.value - a.value).slice(0, 5)
          .map((l) => ({ label: `${nodes[l.source].label} → ${nodes[l.target].label}`, value: num(l.value) })),
        valueHeader: 'sessions',
      };
    }
    default:
      return { empty: true, option: null, rows: [], valueHeader: '' };
  }
}
