package io.beacon.abtest.api.internal;

import io.beacon.abtest.experiment.ExperimentNotFoundException;
import io.beacon.abtest.exposure.ExposureLogUnavailableException;
import io.beacon.control.api.http.ApiErrors;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps the A/B-testing API's own errors — unknown experiment → 404, warehouse failure → 502
 * {@code WAREHOUSE_ERROR}, exposures not loggable → 503 {@code EXPOSURE_LOG_UNAVAILABLE} — and hands everything else to the shared {@link ApiErrors} (invalid
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
        return ApiErrors.toResponse(t);
    }
}
