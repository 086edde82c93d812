package io.beacon.analytics.api.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.analytics.query.InvalidQueryException;
import io.beacon.warehouse.clickhouse.WarehouseException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place mapping analytics errors to HTTP ({@code {"error":{"code","message","field"?}}}, the
 * control plane's shape): invalid query → 400 {@code INVALID_QUERY} naming the field; {@link ApiError} →
 * its status; ClickHouse timeout (code 159) → 408 {@code QUERY_TIMEOUT}; ClickHouse memory/row limits
 * (241, 396, 158) → 422 {@code QUERY_TOO_LARGE}; other ClickHouse failures → 502 {@code WAREHOUSE_ERROR};
 * anything else → 500.
 */
public final class ErrorResponses {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorResponses() {
    }

    public static HttpResponse toResponse(Throwable thrown) {
        Throwable t = thrown;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof InvalidQueryException e) {
            return error(400, "INVALID_QUERY", e.getMessage(), e.field());
        }
        if (t instanceof ApiError e) {
            HttpResponse r = error(e.status(), e.code(), e.getMessage(), e.field());
            if (e.status() == 401) {
                r = r.addHeader(RawHeader.create("WWW-Authenticate", "Bearer"));
            }
            if (e.status() == 429) {
                r = r.addHeader(RawHeader.create("Retry-After", "1"));
            }
            return r;
        }
        if (t instanceof WarehouseException e) {
            if (e.serverCode() == 159) {
                return error(408, "QUERY_TIMEOUT", "the query exceeded its time limit; narrow the date range or filters", null);
            }
            if (e.serverCode() == 241 || e.serverCode() == 396 || e.serverCode() == 158) {
                return error(422, "QUERY_TOO_LARGE", "the query exceeded a memory or result limit", null);
            }
            LOG.warn("analytics query failed: {}", e.getMessage());
            return error(502, "WAREHOUSE_ERROR", e.getMessage(), null);
        }
        LOG.error("unexpected error in the analytics API", t);
        return error(500, "INTERNAL_ERROR", "internal error", null);
    }

    public static HttpResponse error(int status, String code, String message, String field) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("code", code);
        error.put("message", message);
        if (field != null) {
            error.put("field", field);
        }
        return HttpResponse.create().withStatus(status)
                .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, root.toString()));
    }
}
