package io.beacon.analytics.api;

import io.beacon.analytics.api.internal.RouteContext;
import io.beacon.analytics.runtime.Analytics;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The analytics HTTP API over an {@link Analytics}: insights and timelines ({@link AnalyticsRoutes}), cohorts
 * ({@link CohortRoutes}), the SQL console ({@link SqlRoutes}) and journey figures ({@link JourneyReportRoutes}), all authenticated by the project's secret key.
 */
public final class AnalyticsApi {
    private AnalyticsApi() {
    }

    /** {@code /api/v1/insights/*}, {@code /api/v1/persons/{id}/timeline}, {@code /api/v1/cohorts}, {@code /api/v1/sql},
     * {@code /api/v1/journeys/{id}/stats}, {@code /api/v1/persons/{id}/journeys}. */
    public static Route routes(Analytics analytics) {
        RouteContext api = RouteContext.of(analytics);
        return Directives.concat(new AnalyticsRoutes(api).routes(), new CohortRoutes(api).routes(), new SqlRoutes(api).routes(),
                new JourneyReportRoutes(api).routes());
    }
}
