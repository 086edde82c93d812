package io.beacon.event;

import java.util.Objects;

/**
 * One person property set by an event, as published on {@code beacon.persons} (key
 * {@code project:person_id}) and stored in the ClickHouse {@code persons} table, one row per
 * (project, person, key).
 *
 * <p>Which value is current is decided by {@link #version()} alone, so the answer does not depend
 * on the order events arrive in, on replays, or on which stream task saw them:
 * <ul>
 *   <li>{@code $set} (identify traits, PostHog {@code $set}): the latest event time wins;</li>
 *   <li>{@code $set_once}: the earliest event time wins, and only while no {@code $set} value exists.</li>
 * </ul>
 * {@link #versionOf(boolean, long)} encodes that: every {@code $set} version is above every
 * {@code $set_once} version.
 *
 * @param projectId the project
 * @param personId  the person the event belonged to at ingest
 * @param key       property name
 * @param value     a string as it is, any other JSON value as its JSON text
 * @param setOnce   whether the value came from {@code $set_once}
 * @param eventTime the setting event's time (epoch ms)
 * @param eventId   the setting event
 * @param version   {@link #versionOf(boolean, long)}
 */
public record PersonProperty(String projectId, String personId, String key, String value, boolean setOnce,
                             long eventTime, String eventId, long version) {
    /** Versions of {@code $set} values are {@code BASE + time}, of {@code $set_once} values {@code BASE − time}. */
    public static final long BASE = 1L << 62;

    public PersonProperty {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(personId, "personId");
        Objects.requireNonNull(key, "key");
    }

    /** The version of a value set at {@code eventTime} (clamped at 0) with or without set-once semantics. */
    public static long versionOf(boolean setOnce, long eventTime) {
        long t = Math.max(0, Math.min(eventTime, BASE - 1));
        return setOnce ? BASE - 1 - t : BASE + t;
    }

    /** The topic key, {@code project:person_id}. */
    public String topicKey() {
        return projectId + ":" + personId;
    }
}
