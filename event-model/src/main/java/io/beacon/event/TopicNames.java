package io.beacon.event;

import java.util.List;

/**
 * The one catalogue of Kafka topic names (ARCHITECTURE.md, "Topics"). Every module takes a
 * {@code TopicNames} instead of spelling names itself, so tests can isolate themselves by prefix
 * and deployments can namespace the topics.
 *
 * @param raw   received payloads plus server fields; key {@code project:distinct_id}; value {@link RawEnvelope} JSON
 * @param valid canonical, deduplicated events; key {@code project:distinct_id}; value {@link Event} JSON
 * @param dlq   records the topology could not accept; key event id (or offset); value {@link DeadLetter} JSON
 */
public record TopicNames(String raw, String valid, String dlq) {
    public static final String EVENTS_RAW = "beacon.events.raw";
    public static final String EVENTS_VALID = "beacon.events.valid";
    public static final String EVENTS_DLQ = "beacon.events.dlq";

    /** The production names. */
    public static TopicNames defaults() {
        return withPrefix("");
    }

    /** Every name with {@code prefix} in front ({@code ""} keeps the plain names). */
    public static TopicNames withPrefix(String prefix) {
        String p = prefix == null ? "" : prefix;
        return new TopicNames(p + EVENTS_RAW, p + EVENTS_VALID, p + EVENTS_DLQ);
    }

    public List<String> all() {
        return List.of(raw, valid, dlq);
    }
}
