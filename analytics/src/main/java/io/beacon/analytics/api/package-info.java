/** {@code POST /api/v1/insights/*}: secret-key auth, JSON in and out, one error mapping. */
package io.beacon.analytics.api;
