/**
 * Saved insights and dashboards: {@link io.beacon.control.dashboards.SavedInsight} documents
 * ({@code saved_insight/<project>/<id>} on {@code beacon.config}) holding an analysis and the JSON query of
 * {@code POST /api/v1/insights/{analysis}}, and {@link io.beacon.control.dashboards.Dashboard} documents
 * ({@code dashboard/<project>/<id>}) holding an ordered list of tiles that name saved insights. The strict JSON
 * of both is {@link io.beacon.control.dashboards.DashboardJson}; versioned writes go through
 * {@link io.beacon.control.dashboards.DashboardService}, which has every query checked by the analytics
 * parser behind the {@link io.beacon.control.dashboards.InsightQueryCheck} port; the CRUD API is
 * {@link io.beacon.control.dashboards.DashboardRoutes} (docs/dashboards.md).
 */
package io.beacon.control.dashboards;
