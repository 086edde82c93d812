package io.beacon.engine.state;

/** The latest value of a named score (churn, LTV, …) and when it was computed. */
public record Score(double value, long updatedAtMs) {
}
