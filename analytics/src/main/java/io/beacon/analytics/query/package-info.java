/** The JSON query model, its strict validation, and the only places values become SQL literals. */
package io.beacon.analytics.query;
