package io.beacon.streams;

import io.beacon.event.DeadLetter;
import io.beacon.event.Event;
import io.beacon.event.TopicNames;
import io.beacon.streams.dedup.Deduplication;
import io.beacon.streams.dedup.internal.DedupProcessor;
import io.beacon.streams.dedup.internal.DedupStores;
import io.beacon.streams.ingest.IngestResult;
import io.beacon.streams.ingest.internal.IngestProcessor;
import io.beacon.streams.internal.JsonSerdes;
import java.time.Duration;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.UsePartitionTimeOnInvalidTimestamp;

/**
 * The event pipeline's first stages:
 *
 * <pre>
 * raw ─► parse-and-map ─┬─ accepted ─► dedup [dedup-store] ─► key-by-person ─► valid
 *                       └─ refused ──► to-dead-letter ─────────────────────────► dlq
 * </pre>
 *
 * <ul>
 *   <li>{@code raw} ({@link TopicNames#raw()}): key {@code project:distinct_id}, value {@link io.beacon.event.RawEnvelope} JSON.</li>
 *   <li>{@code parse-and-map}: {@link io.beacon.streams.ingest.RawRecordIngest}; every record yields an event or a dead letter.</li>
 *   <li>{@code dedup}: drops repeats of {@code (project, event id)} within {@code dedupHorizon}; see {@link Deduplication}
 *       (including why no repartition is needed).</li>
 *   <li>{@code valid} ({@link TopicNames#valid()}): key {@link Event#partitionKey()}, value {@code EventCodec.encode(event)}.</li>
 *   <li>{@code dlq} ({@link TopicNames#dlq()}): key event id or {@code topic-partition@offset}, value {@link DeadLetter} JSON.</li>
 * </ul>
 *
 * Every node, the store and the sinks have explicit names, so that adding stages later does not rename
 * the store's changelog topic (which would lose dedup memory on upgrade).
 */
public final class EventTopology {
    public static final String SOURCE = "raw-source";
    public static final String PARSE_AND_MAP = "parse-and-map";
    public static final String DEDUP = "dedup";
    public static final String VALID_SINK = "valid-sink";
    public static final String DLQ_SINK = "dlq-sink";

    private EventTopology() {
    }

    /**
     * Builds the topology. Pure: no I/O, no clients, no threads; safe to call from tests.
     *
     * @param topics       where to read and write
     * @param dedupHorizon how long an event id is remembered; must be positive
     */
    public static Topology buildTopology(TopicNames topics, Duration dedupHorizon) {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(dedupHorizon, "dedupHorizon");
        if (dedupHorizon.isNegative() || dedupHorizon.isZero()) {
            throw new IllegalArgumentException("dedupHorizon must be positive, got " + dedupHorizon);
        }
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(DedupStores.windowStore(dedupHorizon));

        // Keys and values as plain strings/bytes cannot fail to deserialize: every malformed value reaches
        // the parse stage and becomes a dead letter with its original bytes. A record with an invalid
        // timestamp takes the partition's time instead of being skipped.
        KStream<String, IngestResult> ingested = builder
                .stream(topics.raw(), Consumed.with(Serdes.String(), Serdes.ByteArray())
                        .withTimestampExtractor(new UsePartitionTimeOnInvalidTimestamp())
                        .withName(SOURCE))
                .processValues(IngestProcessor::new, Named.as(PARSE_AND_MAP));

        ingested.split(Named.as("ingest-"))
                .branch((key, result) -> result instanceof IngestResult.Refused,
                        Branched.withConsumer(refused -> refused
                                .map((key, result) -> {
                                    IngestResult.Refused r = (IngestResult.Refused) result;
                                    return KeyValue.pair(r.key(), r.deadLetter());
                                }, Named.as("to-dead-letter"))
                                .to(topics.dlq(), Produced.with(Serdes.String(), JsonSerdes.deadLetter()).withName(DLQ_SINK)),
                                "refused"))
                .defaultBranch(Branched.withConsumer(accepted -> accepted
                        .mapValues(result -> ((IngestResult.Accepted) result).event(), Named.as("to-event"))
                        .processValues(() -> new DedupProcessor(dedupHorizon), Named.as(DEDUP), Deduplication.STORE_NAME)
                        .map((key, event) -> KeyValue.pair(event.partitionKey(), event), Named.as("key-by-person"))
                        .to(topics.valid(), Produced.with(Serdes.String(), JsonSerdes.event()).withName(VALID_SINK)),
                        "accepted"));
        return builder.build();
    }
}
