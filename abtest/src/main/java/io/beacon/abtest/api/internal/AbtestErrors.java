package io.beacon.abtest.api.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.beacon.abtest.assignment.SegmentsUnavailableException;
import io.beacon.abtest.exposure.ExposureLogUnavailableException;
import io.beacon.control.http.ControlPlaneErrors;
import io.beacon.httpkit.ApiError;
import io.beacon.httpkit.ApiErrors;
import io.beacon.httpkit.ErrorMapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the A/B-testing API's own failures answer — warehouse failure → 502 {@code WAREHOUSE_ERROR}, exposures
 * not loggable → 503 {@code EXPOSURE_LOG_UNAVAILABLE}, segment memberships not readable → 503
 * {@code SEGMENTS_UNAVAILABLE} — then the control plane's (invalid document → 400 naming the field, stale
 * version → 409, store unavailable → 503) and the kit's (unknown experiment → 404, bad key → 401, …), so
 * every API answers with the same body and codes.
 */
public final class AbtestErrors {
    private static final Logger LOG = LoggerFactory.getLogger(AbtestErrors.class);

    /** The mapping of every A/B-testing route. */
    public static final ApiErrors ERRORS = ApiErrors.of(
            ErrorMapping.on(WarehouseFailure.class, e -> {
                LOG.warn("warehouse query failed: {}", e.getMessage());
                return ApiError.of(502, "WAREHOUSE_ERROR", "the warehouse query failed: " + e.getMessage(), null);
            }),
            ErrorMapping.on(ExposureLogUnavailableException.class, e -> ApiError.of(503, "EXPOSURE_LOG_UNAVAILABLE", e.getMessage(), null)),
            ErrorMapping.on(SegmentsUnavailableException.class, AbtestErrors::segmentsUnavailable),
            ControlPlaneErrors.MAPPING);

    private AbtestErrors() {
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
    private static ApiError segmentsUnavailable(SegmentsUnavailableException e) {
        LOG.debug("segment lookup failed: {}", e.getMessage());
        ArrayNode experiments = JsonNodeFactory.instance.arrayNode();
        e.experiments().forEach(experiments::add);
        return ApiError.of(503, "SEGMENTS_UNAVAILABLE", "the unit's segment memberships could not be read in time for experiment(s) "
                        + String.join(", ", e.experiments()) + "; retry, or pass the unit's segments attribute", "segments")
                .withDetail("experiments", experiments)
                .withRetryAfter(1);
    }
}
