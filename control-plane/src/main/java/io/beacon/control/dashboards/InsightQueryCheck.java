package io.beacon.control.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.control.FieldError;
import io.beacon.control.project.Project;
import java.util.Optional;

/**
 * The analytics query parser as the dashboards see it: the control plane does not depend on the analytics module,
 * which implements this port (wired by the platform). Fields in the answers are JSON paths inside the query
 * ({@code date_range}, {@code series[0].event}); callers prefix them with where the query sits in their document.
 */
public interface InsightQueryCheck {
    /** Why {@code query} is not a valid body of {@code POST /api/v1/insights/{analysis}} for {@code project}, or empty. */
    Optional<FieldError> query(Project project, String analysis, JsonNode query);

    /** Why {@code range} is not a valid {@code date_range} of a query ({@code {"from","to"}}), or empty. */
    Optional<FieldError> dateRange(Project project, JsonNode range);
}
