/**
 * Where an API error belongs: the API names the JSON path of the bad field ("date_range",
 * "series[1].filters[0].property", "sql"). A form field shows the error when the path is the field
 * or inside it; anything no field claims is shown at the top of the form.
 */
export function errorAt(error, field) {
  if (!error || !error.field) return null;
  const f = error.field;
  if (f === field || f.startsWith(`${field}.`) || f.startsWith(`${field}[`)) return error.message;
  return null;
}

/** True when one of `fields` shows the error (so the banner does not repeat it). */
export function claimed(error, fields) {
  return !!error && fields.some((f) => errorAt(error, f));
}
