package io.beacon.abtest.exposure;

/**
 * The exposures of an assignment could not be logged now — the event log refused them or too many are
 * waiting for it — so the assignment is not answered (503 {@code EXPOSURE_LOG_UNAVAILABLE}); a retry of
 * the request logs them again.
 */
public final class ExposureLogUnavailableException extends RuntimeException {
    public ExposureLogUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
