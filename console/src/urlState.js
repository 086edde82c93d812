import { useRoute, useRouter } from 'vue-router';

/**
 * A builder's whole state in the URL (?q=<json>), so a link opens the same insight. `defaults` fill
 * what the link leaves out. Returns [initial state, save(state)] where save replaces the URL.
 */
export function useUrlState(defaults) {
  const route = useRoute();
  const router = useRouter();
  let initial = structuredClone(defaults);
  let fromUrl = false;
  if (typeof route.query.q === 'string') {
    try {
      initial = { ...initial, ...JSON.parse(route.query.q) };
      fromUrl = true;
    } catch {
      fromUrl = false;
    }
  }
  const save = (state) => router.replace({ query: { ...route.query, q: JSON.stringify(state) } });
  return { initial, fromUrl, save };
}
