import { ref } from 'vue';
import { api } from './api.js';
import { useUrlState } from './urlState.js';

/**
 * The state, answer and run() of an insight builder: `defaults` is the builder's form state (kept in the
 * URL, so a link opens the same insight) and `toQuery(state)` the API query it sends to
 * POST /api/v1/insights/{analysis}. A link with a state runs at once.
 */
export function useInsight(analysis, defaults, toQuery) {
  const { initial, fromUrl, save } = useUrlState(defaults);
  const state = ref(initial);
  const result = ref(null);
  const error = ref(null);
  const loading = ref(false);

  async function run() {
    save(state.value);
    loading.value = true;
    error.value = null;
    try {
      result.value = await api.insight(analysis, toQuery(state.value));
    } catch (e) {
      error.value = e;
      result.value = null;
    } finally {
      loading.value = false;
    }
  }
  if (fromUrl) run();
  return { state, result, error, loading, run, query: () => toQuery(state.value) };
}

/** `{event?, filters?}` of a builder's event picker and filter rows; absent parts left out. */
export function eventSpec(event, filters) {
  const spec = {};
  if (event) spec.event = event;
  if (filters && filters.length) spec.filters = filters;
  return spec;
}
