package io.beacon.gateway;

import io.beacon.event.DqFact;
import io.beacon.event.EventCodec;
import io.beacon.event.RawEnvelope;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Where accepted events go: the raw event topic; and where refused items are reported: the data-quality
 * facts topic. {@link KafkaEventLog} is the real one; tests use in-memory fakes.
 */
public interface EventLog {

    /**
     * One record for the log.
     *
     * @param key      the partition key, {@code project:distinct_id} ({@link io.beacon.event.Event#partitionKey()})
     * @param envelope the received item plus server fields
     * @param value    {@code envelope} encoded ({@link EventCodec#encode}): what the log stores; encoded by
     *                 the caller so the work is spread over the request threads, not the log's send thread
     */
    record Entry(String key, RawEnvelope envelope, byte[] value) {
        public Entry {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(envelope, "envelope");
            Objects.requireNonNull(value, "value");
        }

        /** Encodes {@code envelope} itself. */
        public Entry(String key, RawEnvelope envelope) {
            this(key, envelope, EventCodec.encode(envelope));
        }
    }

    /**
     * Appends entries. Must not block the caller.
     *
     * @return completes when the log durably holds every entry; fails with
     *         {@link EventLogUnavailableException} when it cannot take them now (the client should
     *         retry). Entries may have been partly written when it fails (at-least-once: the
     *         event ids let the pipeline drop the duplicates of a retry).
     */
    CompletionStage<Void> append(List<Entry> entries);

    /**
     * Reports items the gateway refused, one data-quality fact each ({@link io.beacon.event.TopicNames#dqFacts()}).
     * Fire-and-forget: returns at once and never throws; the answer to the client does not depend on it, and
     * a fact that cannot be written is counted and logged by the log, not retried.
     *
     * <p>The default writes nothing: logs that carry only the platform's own records (exposures, connector
     * statuses) never see a refused item.
     */
    default void report(List<DqFact> facts) {
    }
}
