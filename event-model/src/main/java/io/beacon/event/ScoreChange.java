package io.beacon.event;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A user's model score crossed its threshold: the value of topic {@value TopicNames#SCORE_CHANGES} (key
 * {@code project:person}, JSON by {@link ScoreChangeCodec}), written by the actor engine in the transaction of the
 * state that made it — the trigger for connectors and journeys.
 *
 * @param id            the idempotency key: {@link #idOf} of project, person, score and crossing sequence number,
 *                      so a batch the engine re-processes after a failure produces the same ids
 * @param score         {@code churn_risk} or {@code ltv_predicted}
 * @param value         the new value
 * @param previousValue the value before, {@code null} when the user had no score yet
 * @param modelVersion  the model version that computed {@code value}
 * @param threshold     the threshold crossed
 * @param direction     {@link Direction#UP}: the value reached the threshold ({@code value ≥ threshold}) from below
 *                      or from no score; {@link Direction#DOWN}: it fell below it
 * @param atMs          when the engine scored (its clock, epoch ms)
 * @param cause         an event changed the state, or a timer re-scored it as time passed
 * @param eventId       the last event of the batch for {@link Cause#EVENT}, {@code null} for {@link Cause#TIME}
 */
public record ScoreChange(String id, String projectId, String personId, String score, double value, Double previousValue,
                          String modelVersion, double threshold, Direction direction, long atMs, Cause cause, String eventId) {

    public enum Direction {
        UP, DOWN;

        public String wireName() {
            return this == UP ? "up" : "down";
        }
    }

    public enum Cause {
        /** Scored because events changed the state. */
        EVENT,
        /** Scored because a timer fell due (time-based features aged). */
        TIME;

        public String wireName() {
            return this == EVENT ? "event" : "time";
        }
    }

    public ScoreChange {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(personId, "personId");
        Objects.requireNonNull(score, "score");
        Objects.requireNonNull(modelVersion, "modelVersion");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(cause, "cause");
    }

    /** The topic key, {@code project:person}. */
    public String userKey() {
        return projectId + ":" + personId;
    }

    /**
     * The id of the {@code crossing}-th crossing (1, 2, …) of {@code score} for the person: the first 32 hex digits of
     * SHA-256 over {@code project \n person \n score \n crossing} (UTF-8).
     */
    public static String idOf(String projectId, String personId, String score, long crossing) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] d = sha.digest((projectId + "\n" + personId + "\n" + score + "\n" + crossing).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
