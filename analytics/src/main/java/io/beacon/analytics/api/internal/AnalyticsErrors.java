package io.beacon.analytics.api.internal;

import io.beacon.control.http.ControlPlaneErrors;
import io.beacon.httpkit.ApiError;
import io.beacon.httpkit.ApiErrors;
import io.beacon.httpkit.ErrorMapping;
import io.beacon.warehouse.clickhouse.WarehouseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the analytics API's failures answer. ClickHouse's: timeout (code 159) → 408 {@code QUERY_TIMEOUT};
 * memory/row limits (241, 396, 158) → 422 {@code QUERY_TOO_LARGE}; other failures → 502 {@code WAREHOUSE_ERROR}.
 * Then the control plane's (cohort documents) and the kit's: invalid query → 400 {@code INVALID_QUERY} naming
 * the field, too many concurrent queries → 429 with {@code Retry-After}, unknown cohort or person → 404, …
 */
public final class AnalyticsErrors {
    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsErrors.class);

    /** The mapping of every analytics route. */
    public static final ApiErrors ERRORS = ApiErrors.of(
            ErrorMapping.on(WarehouseException.class, AnalyticsErrors::warehouse), ControlPlaneErrors.MAPPING);

    private AnalyticsErrors() {
    }

    private static ApiError warehouse(WarehouseException e) {
        if (e.serverCode() == 159) {
            return ApiError.of(408, "QUERY_TIMEOUT", "the query exceeded its time limit; narrow the date range or filters", null);
        }
        if (e.serverCode() == 241 || e.serverCode() == 396 || e.serverCode() == 158) {
            return ApiError.of(422, "QUERY_TOO_LARGE", "the query exceeded a memory or result limit", null);
        }
        LOG.warn("analytics query failed: {}", e.getMessage());
        return ApiError.of(502, "WAREHOUSE_ERROR", e.getMessage(), null);
    }
}
