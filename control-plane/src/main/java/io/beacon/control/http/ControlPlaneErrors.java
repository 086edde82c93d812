package io.beacon.control.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import io.beacon.control.FieldError;
import io.beacon.control.InvalidDocumentException;
import io.beacon.control.store.ConfigStoreUnavailableException;
import io.beacon.control.store.ConflictException;
import io.beacon.httpkit.ApiError;
import io.beacon.httpkit.ApiErrors;
import io.beacon.httpkit.ErrorMapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the control plane's failures answer, for every route that reads or writes config documents:
 * invalid document → 400 {@code INVALID_DEFINITION} naming the first field (all of them in {@code errors} when there are several); version conflict → 409
 * {@code VERSION_CONFLICT} (or {@code ALREADY_EXISTS} for a create) with {@code current_version}; store not
 * ready or timed out → 503 {@code STORE_UNAVAILABLE} with {@code Retry-After: 5}. Unknown projects are
 * {@link io.beacon.event.RefusedException}s (404), which the kit maps itself.
 */
public final class ControlPlaneErrors {
    private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneErrors.class);

    /** The control plane's mapping; modules whose routes touch the config store add it to theirs. */
    public static final ErrorMapping MAPPING = ErrorMapping.of(
            ErrorMapping.on(InvalidDocumentException.class, ControlPlaneErrors::invalid),
            ErrorMapping.on(ConflictException.class, ControlPlaneErrors::conflict),
            ErrorMapping.on(ConfigStoreUnavailableException.class, e -> {
                LOG.warn("config store unavailable: {}", e.getMessage());
                return ApiError.of(503, "STORE_UNAVAILABLE", e.getMessage(), null).withRetryAfter(5);
            }));

    /** The kit's mapping with the control plane's. */
    public static final ApiErrors ERRORS = ApiErrors.of(MAPPING);

    private ControlPlaneErrors() {
    }

    /** 400 naming the first field; with several problems, all of them in {@code errors} ({@code [{"field","message"}]}). */
    private static ApiError invalid(InvalidDocumentException e) {
        ApiError error = ApiError.of(400, "INVALID_DEFINITION", e.first().field() + " " + e.first().message(), e.first().field());
        if (e.errors().size() < 2) {
            return error;
        }
        ArrayNode all = JsonNodeFactory.instance.arrayNode();
        for (FieldError f : e.errors()) {
            all.addObject().put("field", f.field()).put("message", f.message());
        }
        return error.withDetail("errors", all);
    }

    private static ApiError conflict(ConflictException e) {
        boolean create = e.expectedVersion() == 0;
        return ApiError.of(409, create ? "ALREADY_EXISTS" : "VERSION_CONFLICT",
                        create ? e.key().id() + " already exists (version " + e.currentVersion() + ")"
                                : "expected version " + e.expectedVersion() + " but the current version is " + e.currentVersion(),
                        "version")
                .withDetail("current_version", LongNode.valueOf(e.currentVersion()));
    }
}
