// SQL for the people pages, run through POST /api/v1/sql (the console's read-only SELECT over the project's
// `events` view). Every statement here runs on ClickHouse 18.16 and 26.x: plain aggregates, no window functions.

export const RECENT_LIMIT = 50;
export const LIVE_LIMIT = 50;

/** A ClickHouse string literal: backslash and quote escaped, control characters as \xHH. */
export function literal(text) {
  const escaped = String(text).replace(/[\\']/g, (c) => `\\${c}`)
    .replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `'${escaped}'`;
}

/** The persons with an event in the last 7 days, latest first. */
export function recentPersonsSql() {
  return `SELECT resolved_person_id AS person, count() AS events, uniqExact(session_id) AS sessions,
  max(event_time_ms) AS last_ms, uniqExact(distinct_id) AS distinct_ids
FROM events
WHERE event_time >= now() - INTERVAL 7 DAY
GROUP BY person
ORDER BY last_ms DESC, person
LIMIT ${RECENT_LIMIT}`;
}

/**
 * The latest events by the time the gateway received them, optionally of one event name and one distinct id, and only
 * those received at or after `sinceMs` (a poll asks again for a margin before its newest row: ClickHouse may store an
 * event some seconds after the gateway received it). Properties come as hex so any byte survives the text result.
 */
export function liveEventsSql({ event, distinctId, sinceMs }) {
  const where = [];
  if (event) where.push(`event_name = ${literal(event)}`);
  if (distinctId) where.push(`distinct_id = ${literal(distinctId)}`);
  if (sinceMs !== null && sinceMs !== undefined) where.push(`received_at_ms >= ${Math.floor(sinceMs)}`);
  return `SELECT event_id, event_name, event_type, distinct_id, resolved_person_id, event_time_ms, received_at_ms,
  arrayStringConcat(arrayMap(x -> hex(x), properties.key), ',') AS keys_hex,
  arrayStringConcat(arrayMap(x -> hex(x), properties.value), ',') AS values_hex
FROM events${where.length ? `\nWHERE ${where.join(' AND ')}` : ''}
ORDER BY received_at_ms DESC, event_id DESC
LIMIT ${LIVE_LIMIT}`;
}

const utf8 = new TextDecoder();
function unhex(h) {
  const bytes = new Uint8Array(h.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(h.slice(i * 2, i * 2 + 2), 16);
  return utf8.decode(bytes);
}

/** The properties of a row of liveEventsSql: [[key, value], …] from the two hex lists. */
export function hexProperties(keysHex, valuesHex) {
  if (!keysHex) return [];
  const keys = keysHex.split(',');
  const values = (valuesHex || '').split(',');
  return keys.map((k, i) => [unhex(k), unhex(values[i] ?? '')]);
}
