import { session } from './session.js';

/**
 * A failed API call: the API's {"error":{"code","message","field","errors"?}} plus the HTTP status; `errors` is every
 * problem ([{field, message}]) when the API listed several, else [].
 */
export class ApiError extends Error {
  constructor(status, code, message, field, errors) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field || null;
    this.errors = Array.isArray(errors) ? errors : [];
  }
}

async function call(method, path, body, key) {
  const headers = { Authorization: `Bearer ${key ?? session.current()?.key ?? ''}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, 'NETWORK', `Beacon did not answer: ${e.message}`, null);
  }
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const err = json?.error;
    throw new ApiError(res.status, err?.code || `HTTP_${res.status}`, err?.message || text || res.statusText, err?.field,
      err?.errors);
  }
  return json;
}

export const api = {
  get: (path, key) => call('GET', path, undefined, key),
  post: (path, body) => call('POST', path, body),
  put: (path, body) => call('PUT', path, body),
  patch: (path, body) => call('PATCH', path, body),
  del: (path) => call('DELETE', path),
  insight: (analysis, query) => call('POST', `/api/v1/insights/${analysis}`, query),
  sql: (sql) => call('POST', '/api/v1/sql', { sql }),
};

let names = null;
/** Event names seen in the project (for the event pickers), from the SQL console API; [] when it fails. */
export function eventNames() {
  names ??= api.sql('SELECT event_name, count() AS n FROM events GROUP BY event_name ORDER BY n DESC LIMIT 200')
    .then((r) => r.rows.map((row) => row[0]))
    .catch(() => {
      names = null; // not remembered: the next picker asks again (the page may have navigated away mid-request)
      return [];
    });
  return names;
}
export function forgetEventNames() {
  names = null;
}
