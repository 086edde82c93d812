package io.beacon.analytics.api.internal;

import io.beacon.analytics.query.InvalidQueryException;
import io.beacon.control.api.http.ApiErrors;
import io.beacon.control.api.http.ApiException;
import io.beacon.warehouse.clickhouse.WarehouseException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps the analytics API's own errors and hands everything else to the shared {@link ApiErrors}, so
 * every API answers {@code {"error":{"code","message","field"?}}}: invalid query → 400
 * {@code INVALID_QUERY} naming the field; too many concurrent queries → 429 with {@code Retry-After};
 * ClickHouse timeout (code 159) → 408 {@code QUERY_TIMEOUT}; ClickHouse memory/row limits (241, 396,
 * 158) → 422 {@code QUERY_TOO_LARGE}; other ClickHouse failures → 502 {@code WAREHOUSE_ERROR}.
 */
public final class ErrorResponses {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private ErrorResponses() {
    }

    public static HttpResponse toResponse(Throwable thrown) {
        Throwable t = thrown;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof InvalidQueryException e) {
            return ApiErrors.error(400, "INVALID_QUERY", e.getMessage(), e.field());
        }
        if (t instanceof ApiException e && e.status() == 429) {
            return ApiErrors.toResponse(e).addHeader(RawHeader.create("Retry-After", "1"));
        }
        if (t instanceof WarehouseException e) {
            if (e.serverCode() == 159) {
                return ApiErrors.error(408, "QUERY_TIMEOUT", "the query exceeded its time limit; narrow the date range or filters", null);
            }
            if (e.serverCode() == 241 || e.serverCode() == 396 || e.serverCode() == 158) {
                return ApiErrors.error(422, "QUERY_TOO_LARGE", "the query exceeded a memory or result limit", null);
            }
            LOG.warn("analytics query failed: {}", e.getMessage());
            return ApiErrors.error(502, "WAREHOUSE_ERROR", e.getMessage(), null);
        }
        return ApiErrors.toResponse(t);
    }
}
