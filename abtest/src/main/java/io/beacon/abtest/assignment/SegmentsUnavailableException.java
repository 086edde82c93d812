package io.beacon.abtest.assignment;

import java.util.List;

/**
 * A running experiment targets segments, the caller did not pass the unit's {@code segments} attribute, and the
 * {@link SegmentLookup} did not answer in time (or failed): the assignment is not answered rather than treating
 * the unit as a member of no segment (503 {@code SEGMENTS_UNAVAILABLE}; a retry, or the caller's own
 * {@code segments} attribute, gets an answer).
 */
public final class SegmentsUnavailableException extends RuntimeException {
    private final List<String> experiments;

    public SegmentsUnavailableException(List<String> experiments, Throwable cause) {
        super("the segment memberships experiment(s) " + experiments + " target could not be read: "
                + (cause == null ? "no answer" : cause.toString()), cause);
        this.experiments = List.copyOf(experiments);
    }

    /** The keys of the running experiments that target segments. */
    public List<String> experiments() {
        return experiments;
    }
}
