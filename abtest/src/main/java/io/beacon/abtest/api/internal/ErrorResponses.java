package io.beacon.abtest.api.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.abtest.experiment.ExperimentNotFoundException;
import io.beacon.control.InvalidDocumentException;
import io.beacon.control.store.ConfigStoreUnavailableException;
import io.beacon.control.store.ConflictException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that maps A/B-testing API errors to answers, with the same body and codes as the
 * control plane's admin API ({@code {"error":{"code","message","field"?}}}): invalid document → 400
 * {@code INVALID_DEFINITION} naming the field; malformed request → 400; bad key → 401; unknown
 * experiment → 404; stale version → 409 {@code VERSION_CONFLICT} ({@code ALREADY_EXISTS} on create);
 * store unavailable → 503 with {@code Retry-After}; warehouse failure → 502 {@code WAREHOUSE_ERROR};
 * anything else → 500.
 */
public final class ErrorResponses {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private ErrorResponses() {
    }

    /** Marks a failure of the analytics warehouse (the port threw). */
    public static final class WarehouseFailure extends RuntimeException {
        public WarehouseFailure(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }

    public static HttpResponse toResponse(Throwable thrown) {
        Throwable t = thrown;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof ApiProblem e) {
            HttpResponse r = error(e.status(), e.code(), e.getMessage(), e.field());
            return e.status() == 401 ? r.addHeader(RawHeader.create("WWW-Authenticate", "Bearer")) : r;
        }
        if (t instanceof InvalidDocumentException e) {
            return error(400, "INVALID_DEFINITION", e.first().field() + " " + e.first().message(), e.first().field());
        }
        if (t instanceof ExperimentNotFoundException e) {
            return error(404, "NOT_FOUND", e.getMessage(), null);
        }
        if (t instanceof ConflictException e) {
            boolean create = e.expectedVersion() == 0;
            ObjectNode body = body(create ? "ALREADY_EXISTS" : "VERSION_CONFLICT",
                    create ? e.key().id() + " already exists (version " + e.currentVersion() + ")"
                            : "expected version " + e.expectedVersion() + " but the current version is " + e.currentVersion(),
                    "version");
            ((ObjectNode) body.get("error")).put("current_version", e.currentVersion());
            return JsonBodies.response(409, body);
        }
        if (t instanceof ConfigStoreUnavailableException e) {
            LOG.warn("config store unavailable: {}", e.getMessage());
            return error(503, "STORE_UNAVAILABLE", e.getMessage(), null).addHeader(RawHeader.create("Retry-After", "5"));
        }
        if (t instanceof WarehouseFailure e) {
            LOG.warn("warehouse query failed: {}", e.getMessage());
            return error(502, "WAREHOUSE_ERROR", "the warehouse query failed: " + e.getMessage(), null);
        }
        LOG.error("unexpected error in the A/B testing API", t);
        return error(500, "INTERNAL_ERROR", "internal error", null);
    }

    public static HttpResponse error(int status, String code, String message, String field) {
        return JsonBodies.response(status, body(code, message, field));
    }

    private static ObjectNode body(String code, String message, String field) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode error = root.putObject("error");
        error.put("code", code);
        error.put("message", message);
        if (field != null) {
            error.put("field", field);
        }
        return root;
    }
}
