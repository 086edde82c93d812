package io.beacon.engine.state;

/**
 * The latest value of a named score (churn, LTV, …), when it was computed and by which model.
 *
 * @param modelVersion the model version that computed it, {@code null} for a score not from a model of the engine
 * @param crossings    how many times this score crossed its threshold for this user so far (the sequence number
 *                     of score-change records, which makes their ids deterministic)
 */
public record Score(double value, long updatedAtMs, String modelVersion, long crossings) {

    public Score(double value, long updatedAtMs) {
        this(value, updatedAtMs, null, 0);
    }
}
