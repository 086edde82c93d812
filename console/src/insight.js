import { ref } from 'vue';
import { api } from './api.js';
import { toApiRange } from './dateRange.js';
import { toApiFilters } from './filters.js';
import { useUrlState } from './urlState.js';

/**
 * The state, answer and run() of an insight builder: `defaults` is the builder's form state (kept in the
 * URL, so a link opens the same insight) and `toQuery(state)` the API query it sends to
 * POST /api/v1/insights/{analysis}; `onRun()` is called as a run starts (to clear what belonged to the
 * previous answer). `ran` is the query of the answer shown. A link with a state runs at once.
 */
export function useInsight(analysis, defaults, toQuery, { onRun } = {}) {
  const { initial, fromUrl, save } = useUrlState(defaults);
  const state = ref(initial);
  const result = ref(null);
  const ran = ref(null);
  const error = ref(null);
  const loading = ref(false);

  async function run() {
    save(state.value);
    onRun?.();
    loading.value = true;
    error.value = null;
    const q = toQuery(state.value);
    try {
      result.value = await api.insight(analysis, q);
      ran.value = q;
    } catch (e) {
      error.value = e;
      result.value = null;
    } finally {
      loading.value = false;
    }
  }
  if (fromUrl) run();
  return { state, result, ran, error, loading, run, save: () => save(state.value), query: () => toQuery(state.value) };
}

/** The query of an insight on one event: date range, the event with its filters, global filters, and `extra`. */
export function eventQuery(s, extra = {}) {
  const q = { date_range: toApiRange(s.range), ...extra, event: eventSpec(s.event.event, toApiFilters(s.event.filters)) };
  const g = toApiFilters(s.filters);
  if (g.length) q.filters = g;
  return q;
}

/** `{event?, filters?}` of a builder's event picker and filter rows; absent parts left out. */
export function eventSpec(event, filters) {
  const spec = {};
  if (event) spec.event = event;
  if (filters && filters.length) spec.filters = filters;
  return spec;
}
