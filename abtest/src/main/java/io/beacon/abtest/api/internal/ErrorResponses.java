package io.beacon.abtest.api.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.abtest.assignment.SegmentsUnavailableException;
import io.beacon.abtest.experiment.ExperimentNotFoundException;
import io.beacon.abtest.exposure.ExposureLogUnavailableException;
import io.beacon.control.api.http.ApiErrors;
import io.beacon.control.api.http.Json;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps the A/B-testing API's own errors — unknown experiment → 404, warehouse failure → 502
 * {@code WAREHOUSE_ERROR}, exposures not loggable → 503 {@code EXPOSURE_LOG_UNAVAILABLE}, segment memberships not readable →
 * 503 {@code SEGMENTS_UNAVAILABLE} — and hands everything else to the shared {@link ApiErrors} (invalid
 * document → 400 naming the field, bad key → 401, stale version → 409, store unavailable → 503, …),
 * so every API answers with the same body and codes.
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

    /**
     * 503 {@code SEGMENTS_UNAVAILABLE} with {@code Retry-After: 1}; {@code field} is {@code segments} (passing the
     * unit's {@code segments} attribute avoids the lookup) and {@code experiments} lists the experiments that
     * target segments.
     */
    static HttpResponse segmentsUnavailable(SegmentsUnavailableException e) {
        LOG.debug("segment lookup failed: {}", e.getMessage());
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode error = root.putObject("error");
        error.put("code", "SEGMENTS_UNAVAILABLE");
        error.put("message", "the unit's segment memberships could not be read in time for experiment(s) "
                + String.join(", ", e.experiments()) + "; retry, or pass the unit's segments attribute");
        error.put("field", "segments");
        ArrayNode experiments = error.putArray("experiments");
        e.experiments().forEach(experiments::add);
        return Json.response(503, root).addHeader(RawHeader.create("Retry-After", "1"));
    }

    public static HttpResponse toResponse(Throwable thrown) {
        Throwable t = thrown;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof ExperimentNotFoundException e) {
            return ApiErrors.error(404, "NOT_FOUND", e.getMessage(), null);
        }
        if (t instanceof WarehouseFailure e) {
            LOG.warn("warehouse query failed: {}", e.getMessage());
            return ApiErrors.error(502, "WAREHOUSE_ERROR", "the warehouse query failed: " + e.getMessage(), null);
        }
        if (t instanceof ExposureLogUnavailableException e) {
            return ApiErrors.error(503, "EXPOSURE_LOG_UNAVAILABLE", e.getMessage(), null);
        }
        if (t instanceof SegmentsUnavailableException e) {
            return segmentsUnavailable(e);
        }
        return ApiErrors.toResponse(t);
    }
}
