package io.beacon.streams.dedup;

import java.time.Duration;

/**
 * What "duplicate" means in the pipeline, after Kafka's {@code EventDeduplicationLambdaIntegrationTest}.
 *
 * <p>An event is a duplicate when an event with the same {@link #key(String, String) key}
 * ({@code projectId:eventId}) was seen less than the horizon earlier <em>or later</em> (measured on the
 * dedup clock below). The first copy is forwarded and remembered in the window store {@value #STORE_NAME};
 * later copies are dropped, counted in the {@value #METRIC_NAME}-total metric and reported as one data-quality
 * fact each ({@link io.beacon.event.DqFact.Stage#DUPLICATE}, code {@value #FACT_CODE}, on {@code beacon.dq.facts},
 * written in the same transaction as the input offset). Once the horizon has
 * passed the store forgets the id and a re-sent copy passes again. The store is backed by RocksDB and
 * logged to a compacted changelog topic, so the memory survives restarts and moves with the task on
 * failover; with {@code exactly_once_v2} the store, the output and the input offsets commit atomically.
 *
 * <p><b>Dedup clock.</b> The window uses the envelope's {@code received_at} (the gateway's clock when
 * the request arrived), not the event time. Event time comes from the client and may be arbitrarily old
 * (offline mobile queues, imports, wrong device clocks): a duplicate stamped a month in the past would
 * fall outside every window and escape, and a far-future one would advance the store's stream time and
 * expire everything else. Retries of the same event arrive at the gateway within minutes or hours, so
 * {@code received_at} distances are exactly what the horizon should measure. The lookup is symmetric
 * ({@code ±horizon}), so a copy whose {@code received_at} is slightly earlier than the stored one (two
 * gateway nodes with skewed clocks) is still caught.
 *
 * <p><b>Partitioning assumption.</b> The store is local to a stream task, i.e. to one partition of
 * {@code beacon.events.raw}. The raw topic is keyed by {@code project:distinct_id}, and a re-sent event
 * carries the same project and distinct id as the original, so it lands on the same partition and meets
 * the original's entry; no repartition topic is needed. Copies of one event id sent under different
 * distinct ids (or produced with another key or partitioner) are <em>not</em> guaranteed to be caught.
 */
public final class Deduplication {
    /** Name of the window store (and, prefixed by the application id, of its changelog topic). */
    public static final String STORE_NAME = "dedup-store";
    /** Kafka Streams metric counting dropped duplicates ({@code …-total} and {@code …-rate}). */
    public static final String METRIC_NAME = "duplicates-dropped";
    /** The {@link io.beacon.event.DqFact#code() code} of a duplicate's data-quality fact. */
    public static final String FACT_CODE = "duplicate";
    /** Metric group scope ({@code stream-beacon-dedup-metrics}). */
    public static final String METRIC_SCOPE = "beacon-dedup";
    /** The default horizon, as in ARCHITECTURE.md ("Guarantees"). */
    public static final Duration DEFAULT_HORIZON = Duration.ofDays(7);

    private Deduplication() {
    }

    /** The store key: {@code projectId + ":" + eventId}. Event ids are unique per project only. */
    public static String key(String projectId, String eventId) {
        return projectId + ":" + eventId;
    }
}
