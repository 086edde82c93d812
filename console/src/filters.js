const NUMERIC = new Set(['gt', 'gte', 'lt', 'lte']);

/** The builder's filter rows as the API's filter objects (numbers for numeric operators, lists split at commas). */
export function toApiFilters(rows) {
  return (rows || []).filter((f) => f.property).map((f) => {
    if (f.op === 'is_set' || f.op === 'is_not_set') return { property: f.property, op: f.op };
    const text = String(f.value ?? '');
    if (NUMERIC.has(f.op)) return { property: f.property, op: f.op, value: Number(text) };
    if (f.op === 'between') return { property: f.property, op: f.op, value: text.split(',').map((s) => Number(s.trim())) };
    if (f.op === 'in' || f.op === 'not_in') return { property: f.property, op: f.op, value: text.split(',').map((s) => s.trim()) };
    return { property: f.property, op: f.op, value: text };
  });
}
