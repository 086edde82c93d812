package io.beacon.analytics.api;

import io.beacon.analytics.api.internal.RouteContext;
import io.beacon.analytics.runtime.Analytics;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The analytics HTTP API over an {@link Analytics}: insights and timelines ({@link AnalyticsRoutes}), cohorts
 * ({@link CohortRoutes}) and the SQL console ({@link SqlRoutes}), all authenticated by the project's secret key.
 */
public final class AnalyticsApi {
    private AnalyticsApi() {
    }

    /** {@code /api/v1/insights/*}, {@code /api/v1/persons/{id}/timeline}, {@code /api/v1/cohorts}, {@code /api/v1/sql}. */
    public static Route routes(Analytics analytics) {
        RouteContext api = RouteContext.of(analytics);
        return Directives.concat(new AnalyticsRoutes(api).routes(), new CohortRoutes(api).routes(), new SqlRoutes(api).routes());
    }
}
