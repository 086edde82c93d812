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
    /** Session summaries; key {@code project:session_id}; value {@link SessionSummary} JSON, or a tombstone for a merged-away session. */
    public static final String SESSIONS = "beacon.sessions";
    /** Person property updates; key {@code project:person_id}; value {@link PersonProperty} JSON. */
    public static final String PERSONS = "beacon.persons";
    /** Distinct id → person links; key {@code project:distinct_id}; value {@link PersonDistinctId} JSON. */
    public static final String PERSON_DISTINCT_IDS = "beacon.person-distinct-ids";
    /** The control plane's compacted topic of documents; key {@code kind/project/id}; value a JSON document or a tombstone. */
    public static final String CONFIG = "beacon.config";
    /** Realtime segment entries/exits (actor engine → warehouse); key {@code project:person}; value {@link SegmentChangeCodec} JSON. */
    public static final String SEGMENT_CHANGES = "beacon.segment.changes";
    /** Score threshold crossings (actor engine → connectors, journeys); key {@code project:person}; value {@link ScoreChangeCodec} JSON. */
    public static final String SCORE_CHANGES = "beacon.score.changes";
    /** Journey runs' steps, sends and exits (actor engine → warehouse); key {@code project:person}; value {@link JourneyEventCodec} JSON. */
    public static final String JOURNEY_EVENTS = "beacon.journey.events";
    /** The connectors' outbox; key {@code project:destination:person}; value {@code cdp.OutboxMessage} JSON ({@code cdp.CdpCodec}). */
    public static final String CDP_OUTBOX = "beacon.cdp.outbox";
    /** The connectors' durable retry schedule; same key and partition count as the outbox; value {@code cdp.RetryEntry} JSON. */
    public static final String CDP_RETRY = "beacon.cdp.retry";
    /** Messages the connectors gave up on; key as the outbox; value {@code cdp.CdpDeadLetter} JSON. */
    public static final String CDP_DLQ = "beacon.cdp.dlq";
    /** Every delivery attempt (connectors → warehouse {@code deliveries}); key as the outbox; value {@code cdp.DeliveryAttempt} JSON. */
    public static final String CDP_DELIVERIES = "beacon.cdp.deliveries";
    /**
     * What the stages drop without another record to show for it (gateway rejections by code, topology duplicates);
     * key {@code project}; value {@link DqFactCodec} JSON. Read by the data-quality collector.
     */
    public static final String DQ_FACTS = "beacon.dq.facts";

    /** The production names. */
    public static TopicNames defaults() {
        return withPrefix("");
    }

    /** Every name with {@code prefix} in front ({@code ""} keeps the plain names). */
    public static TopicNames withPrefix(String prefix) {
        String p = prefix == null ? "" : prefix;
        return new TopicNames(p + EVENTS_RAW, p + EVENTS_VALID, p + EVENTS_DLQ);
    }

    /** The prefix these names were built with ({@code ""} for the plain names). */
    public String prefix() {
        return raw.endsWith(EVENTS_RAW) ? raw.substring(0, raw.length() - EVENTS_RAW.length()) : "";
    }

    /** {@value #SESSIONS} under the same prefix. */
    public String sessions() {
        return prefix() + SESSIONS;
    }

    /** {@value #PERSONS} under the same prefix. */
    public String persons() {
        return prefix() + PERSONS;
    }

    /** {@value #PERSON_DISTINCT_IDS} under the same prefix. */
    public String personDistinctIds() {
        return prefix() + PERSON_DISTINCT_IDS;
    }

    /** {@value #SEGMENT_CHANGES} under the same prefix. */
    public String segmentChanges() {
        return prefix() + SEGMENT_CHANGES;
    }

    /** {@value #SCORE_CHANGES} under the same prefix. */
    public String scoreChanges() {
        return prefix() + SCORE_CHANGES;
    }

    /** {@value #JOURNEY_EVENTS} under the same prefix. */
    public String journeyEvents() {
        return prefix() + JOURNEY_EVENTS;
    }

    /** {@value #CDP_OUTBOX} under the same prefix. */
    public String cdpOutbox() {
        return prefix() + CDP_OUTBOX;
    }

    /** {@value #CDP_RETRY} under the same prefix. */
    public String cdpRetry() {
        return prefix() + CDP_RETRY;
    }

    /** {@value #CDP_DLQ} under the same prefix. */
    public String cdpDlq() {
        return prefix() + CDP_DLQ;
    }

    /** {@value #CDP_DELIVERIES} under the same prefix. */
    public String cdpDeliveries() {
        return prefix() + CDP_DELIVERIES;
    }

    /** {@value #DQ_FACTS} under the same prefix. */
    public String dqFacts() {
        return prefix() + DQ_FACTS;
    }

    /** raw, valid and dlq (the event topics; see {@link #sessions()} and friends for the identity/session outputs). */
    public List<String> all() {
        return List.of(raw, valid, dlq);
    }
}
