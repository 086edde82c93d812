/**
 * The user timeline: one person's events in order (by {@code event_time_ms}, then {@code event_id}) with the
 * sessions they belong to, paged with an opaque cursor ({@code GET /api/v1/persons/{id}/timeline}).
 */
package io.beacon.analytics.timeline;
