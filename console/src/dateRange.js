import { addDays, localDate } from './format.js';

const PRESET_DAYS = { '7d': 7, '14d': 14, '30d': 30, '90d': 90 };

/** The API's date_range for the builder's range: presets end today in the project's zone, both ends inclusive. */
export function toApiRange(range) {
  if (range.preset && range.preset !== 'custom') {
    const to = localDate();
    return { from: addDays(to, -(PRESET_DAYS[range.preset] - 1)), to };
  }
  return { from: range.from || '', to: range.to || '' };
}
