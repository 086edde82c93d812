package io.beacon.control.api.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.InvalidDocumentException;
import io.beacon.control.project.ProjectNotFoundException;
import io.beacon.control.store.ConfigStoreUnavailableException;
import io.beacon.control.store.ConflictException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that maps API errors to HTTP answers (modules map their own exception types first and
 * hand everything else here)
 * {@code {"error":{"code","message","field"?}}}:
 * invalid document → 400 {@code INVALID_DEFINITION}; malformed request → 400 (its code);
 * bad or missing key → 401; key of another project → 403; unknown project/definition → 404;
 * version conflict → 409 {@code VERSION_CONFLICT} (or {@code ALREADY_EXISTS} for a create);
 * store not ready / timed out → 503 with {@code Retry-After}; anything else is a bug → 500.
 */
public final class ApiErrors {
    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    private ApiErrors() {
    }

    public static HttpResponse toResponse(Throwable thrown) {
        Throwable t = thrown;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof ApiException e) {
            HttpResponse r = error(e.status(), e.code(), e.getMessage(), e.field());
            return e.status() == 401 ? r.addHeader(RawHeader.create("WWW-Authenticate", "Bearer")) : r;
        }
        if (t instanceof InvalidDocumentException e) {
            return error(400, "INVALID_DEFINITION", e.first().field() + " " + e.first().message(), e.first().field());
        }
        if (t instanceof ProjectNotFoundException e) {
            return error(404, "NOT_FOUND", e.getMessage(), null);
        }
        if (t instanceof ConflictException e) {
            boolean create = e.expectedVersion() == 0;
            ObjectNode body = body(create ? "ALREADY_EXISTS" : "VERSION_CONFLICT",
                    create ? e.key().id() + " already exists (version " + e.currentVersion() + ")"
                            : "expected version " + e.expectedVersion() + " but the current version is " + e.currentVersion(),
                    "version");
            ((ObjectNode) body.get("error")).put("current_version", e.currentVersion());
            return Json.response(409, body);
        }
        if (t instanceof ConfigStoreUnavailableException e) {
            LOG.warn("config store unavailable: {}", e.getMessage());
            return error(503, "STORE_UNAVAILABLE", e.getMessage(), null)
                    .addHeader(RawHeader.create("Retry-After", "5"));
        }
        LOG.error("unexpected error in an API route", t);
        return error(500, "INTERNAL_ERROR", "internal error", null);
    }

    public static HttpResponse error(int status, String code, String message, String field) {
        return Json.response(status, body(code, message, field));
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
