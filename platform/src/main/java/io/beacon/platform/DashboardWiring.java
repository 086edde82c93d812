package io.beacon.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.analytics.query.InvalidQueryException;
import io.beacon.analytics.query.QueryParser;
import io.beacon.analytics.runtime.Analytics;
import io.beacon.control.FieldError;
import io.beacon.control.dashboards.DashboardRoutes;
import io.beacon.control.dashboards.DashboardService;
import io.beacon.control.dashboards.InsightQueryCheck;
import io.beacon.control.project.Project;
import io.beacon.control.runtime.ControlPlane;
import java.util.Optional;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Wires saved insights and dashboards ({@code /api/v1/saved-insights}, {@code /api/v1/dashboards}): the control plane's
 * documents, with every saved query checked by the analytics module's own parser ({@link QueryParser#parse}, cohort
 * filters resolved against the project's cohorts), so a query is saved only when the insights API would take it.
 */
final class DashboardWiring {
    private DashboardWiring() {
    }

    static Route routes(ControlPlane controlPlane, Analytics analytics) {
        return new DashboardRoutes(controlPlane.projects(), new DashboardService(controlPlane.store(), new ParserCheck(analytics))).routes();
    }

    /** {@link InsightQueryCheck} by parsing (no SQL runs). */
    static final class ParserCheck implements InsightQueryCheck {
        private final Analytics analytics;

        ParserCheck(Analytics analytics) {
            this.analytics = analytics;
        }

        @Override
        public Optional<FieldError> query(Project project, String analysis, JsonNode query) {
            try {
                QueryParser.parse(query, project.zone(), analytics.cohorts().resolver(project.id(), project.zone(), analytics.clock().instant()));
                return Optional.empty();
            } catch (InvalidQueryException e) {
                return Optional.of(new FieldError(e.field(), e.reason()));
            }
        }

        /** The range in the smallest query that has one (a total of any event): the grammar is the same in every analysis. */
        @Override
        public Optional<FieldError> dateRange(Project project, JsonNode range) {
            ObjectNode query = JsonNodeFactory.instance.objectNode().put("analysis", "trends");
            query.set("date_range", range);
            query.putArray("series").addObject().put("math", "total");
            return query(project, "trends", query);
        }
    }
}
