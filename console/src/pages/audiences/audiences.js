// Cohorts and realtime segments: the two kinds of audience the pages edit, their request bodies, and the calls that
// are not JSON (the members CSV, downloaded with the bearer key as a Blob — the key never goes into a URL — and a
// static cohort's id import, sent as text/csv).
import { ApiError } from '../../api.js';
import { session } from '../../session.js';

export const KINDS = {
  cohort: {
    label: 'cohort', plural: 'Cohorts', base: '/api/v1/cohorts', list: '/cohorts', ruleField: 'definition', evaluator: 'history',
    fields: ['name', 'description', 'type', 'id', 'version', 'body'],
  },
  segment: {
    label: 'segment', plural: 'Segments', base: '/api/v1/segments', list: '/segments', ruleField: 'rule', evaluator: 'realtime',
    fields: ['name', 'description', 'id', 'version', 'body'],
  },
};

/** The form of a stored audience (or a new one). */
export function toForm(kind, doc) {
  const rule = doc?.[KINDS[kind].ruleField];
  return {
    name: doc?.name ?? '',
    description: doc?.description ?? '',
    type: doc?.type ?? 'dynamic',
    withRule: kind === 'segment' || !!rule || !doc,
    rule: rule ?? null,
  };
}

/** The API body of a form (without version). */
export function toBody(kind, form) {
  const body = { name: form.name };
  if (form.description) body.description = form.description;
  if (kind === 'cohort') {
    body.type = form.type;
    if (form.withRule || form.type === 'dynamic') body.definition = form.rule;
  } else {
    body.rule = form.rule;
  }
  return body;
}

function key() {
  return session.current()?.key ?? '';
}

async function failure(res) {
  const text = await res.text();
  let err = null;
  try {
    err = JSON.parse(text)?.error;
  } catch {
    err = null;
  }
  return new ApiError(res.status, err?.code || `HTTP_${res.status}`, err?.message || text || res.statusText, err?.field);
}

/** GETs `path` with the bearer key and saves the answer as `filename` (a Blob URL, revoked after the click). */
export async function download(path, filename) {
  let res;
  try {
    res = await fetch(path, { headers: { Authorization: `Bearer ${key()}` } });
  } catch (e) {
    throw new ApiError(0, 'NETWORK', `Beacon did not answer: ${e.message}`, null);
  }
  if (!res.ok) throw await failure(res);
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return blob.size;
}

/** POSTs `text` as text/csv; the JSON answer. */
export async function postCsv(path, text) {
  let res;
  try {
    res = await fetch(path, { method: 'POST', headers: { Authorization: `Bearer ${key()}`, 'Content-Type': 'text/csv' }, body: text });
  } catch (e) {
    throw new ApiError(0, 'NETWORK', `Beacon did not answer: ${e.message}`, null);
  }
  if (!res.ok) throw await failure(res);
  return res.json();
}
