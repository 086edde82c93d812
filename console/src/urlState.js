import { useRoute, useRouter } from 'vue-router';

// The JSON as base64url: raw braces and quotes in a query string are refused by strict URI parsers
// (pekko-http answers 400), and base64url survives copying, mail clients and chat links unchanged.
function encode(state) {
  const bytes = new TextEncoder().encode(JSON.stringify(state));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
function decode(text) {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/**
 * A builder's whole state in the URL (?q=<base64url of its JSON>), so a link opens the same insight. `defaults` fill
 * what the link leaves out. Returns [initial state, save(state)] where save replaces the URL.
 */
export function useUrlState(defaults) {
  const route = useRoute();
  const router = useRouter();
  let initial = structuredClone(defaults);
  let fromUrl = false;
  if (typeof route.query.q === 'string') {
    try {
      initial = { ...initial, ...decode(route.query.q) };
      fromUrl = true;
    } catch {
      fromUrl = false;
    }
  }
  const save = (state) => router.replace({ query: { ...route.query, q: encode(state) } });
  return { initial, fromUrl, save };
}
