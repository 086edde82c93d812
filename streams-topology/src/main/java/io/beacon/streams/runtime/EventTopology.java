package io.beacon.streams.runtime;

import io.beacon.control.discovery.DiscoveredItem;
import io.beacon.event.DeadLetter;
import io.beacon.event.DqFact;
import io.beacon.event.Event;
import io.beacon.event.TopicNames;
import io.beacon.streams.dedup.Deduplication;
import io.beacon.streams.dedup.internal.DedupOutput;
import io.beacon.streams.dedup.internal.DedupProcessor;
import io.beacon.streams.dedup.internal.DedupStores;
import io.beacon.streams.discovery.Discovery;
import io.beacon.streams.discovery.internal.DiscoveryAggregator;
import io.beacon.streams.discovery.internal.DiscoveryCollector;
import io.beacon.streams.discovery.internal.DiscoveryStores;
import io.beacon.streams.identity.Identity;
import io.beacon.streams.identity.IdentityRules;
import io.beacon.streams.ingest.IngestResult;
import io.beacon.streams.ingest.internal.IngestProcessor;
import io.beacon.streams.internal.CompactSerdes;
import io.beacon.streams.internal.IdentityInput;
import io.beacon.streams.internal.JsonSerdes;
import io.beacon.streams.sessions.SessionSettings;
import io.beacon.streams.sessions.Sessions;
import io.beacon.streams.sessions.internal.ResolveProcessor;
import io.beacon.streams.sessions.internal.ResolveStores;
import io.beacon.streams.sessions.internal.StageOutput;
import io.beacon.streams.sessions.internal.StageOutputSerde;
import io.beacon.streams.time.TimestampSettings;
import io.beacon.streams.validate.EventValidation;
import io.beacon.streams.validate.RegistryRules;
import io.beacon.streams.validate.internal.ValidateProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.UsePartitionTimeOnInvalidTimestamp;

/**
 * The event pipeline:
 *
 * <pre>
 * raw ─► parse-and-map ─┬─► validate ─┬─ accepted ─► dedup [dedup-store] ─┬─ unique ─► route-by-identity ~(repartition by identity key)~►
 *                       │             │                                   └─ duplicates ─► to-dq-fact ─► dq facts (key project)
 *                       │             │     identify-and-sessionize [identity-store, session-store] ─┬─► valid (key project:person)
 *                       │             │                                                              └─► sessions, persons, person-distinct-ids
 *                       │             └─ refused ──► to-dead-letter ──────────────────────► dlq
 *                       └─► discover [discovery-pending] ~every interval~► (repartition by project/kind/name)
 *                             ─► discovery-aggregate [discovery-totals] ~every interval~► discovery
 * </pre>
 *
 * <ul>
 *   <li>{@code raw} ({@link TopicNames#raw()}): key {@code project:distinct_id}, value {@link io.beacon.event.RawEnvelope} JSON.</li>
 *   <li>{@code parse-and-map}: {@link io.beacon.streams.ingest.RawRecordIngest}; every record yields an event or a dead letter.</li>
 *   <li>{@code validate}: {@link EventValidation} against the project's registry read live through
 *       {@link RegistryRules}: rejections become dead letters (stage {@value EventValidation#STAGE}); accepted
 *       events carry coerced, PII-transformed properties and warning tags. It runs <em>before</em> dedup so
 *       that a rejected event never enters the dedup store: after its definition is fixed, a DLQ replay of
 *       the same event id passes, while a replay of an event that did pass is still dropped as a duplicate.
 *       Nothing reaches {@code valid} without passing this stage, so raw PII of classed properties never does.</li>
 *   <li>{@code dedup}: drops repeats of {@code (project, event id)} within {@code dedupHorizon}; see {@link Deduplication}
 *       (including why no repartition is needed on this path).</li>
 *   <li>{@code route-by-identity} … {@code identify-and-sessionize}: events are repartitioned by
 *       {@code project:}{@link IdentityRules#identityKey identity key} (topic {@code <application-id>-identity-repartition},
 *       values in the internal compact binary format of {@link CompactSerdes#identityInput()}, which also reads the
 *       JSON of earlier versions; identify/alias events also send a claim of their user id keyed by it). There the person is resolved
 *       ({@link IdentityRules}), the {@link io.beacon.streams.time.TimestampRule} applied and the session assigned
 *       ({@link io.beacon.streams.sessions.Sessionizer}). Per-device lateness, not stream time, decides late events,
 *       so no event is dropped as late after the repartition.</li>
 *   <li>{@code valid} ({@link TopicNames#valid()}): key {@link Event#personKey()} ({@code project:person}), value
 *       {@code EventCodec.encode(event)} with {@code person_id} and {@code session_id} set.</li>
 *   <li>{@code sessions}, {@code persons}, {@code person-distinct-ids} ({@link TopicNames#sessions()} …): session
 *       summaries (and tombstones of merged sessions), person properties, distinct id → person links.</li>
 *   <li>{@code dlq} ({@link TopicNames#dlq()}): key event id or {@code topic-partition@offset}, value {@link DeadLetter} JSON
 *       with the original bytes — raw PII included; 30 days' retention, never loaded into ClickHouse.</li>
 *   <li>{@code discover} … {@code discovery}: see {@link Discovery}; a repartition of its own (own sub-topology).</li>
 * </ul>
 *
 * Every node, store and sink has an explicit name, so that adding stages later does not rename a store's
 * changelog topic (which would lose dedup memory on upgrade).
 */
public final class EventTopology {
    public static final String SOURCE = "raw-source";
    public static final String PARSE_AND_MAP = "parse-and-map";
    public static final String VALIDATE = "validate";
    public static final String DEDUP = "dedup";
    public static final String DQ_FACTS_SINK = "dq-facts-sink";
    public static final String VALID_SINK = "valid-sink";
    public static final String DLQ_SINK = "dlq-sink";
    public static final String DISCOVER = "discover";
    public static final String DISCOVERY_AGGREGATE = "discovery-aggregate";
    public static final String DISCOVERY_SINK = "discovery-sink";
    public static final String ROUTE_BY_IDENTITY = "route-by-identity";
    public static final String IDENTIFY_AND_SESSIONIZE = "identify-and-sessionize";
    public static final String IDENTITY_OUTPUTS_SINK = "identity-outputs-sink";

    private EventTopology() {
    }

    /**
     * Builds the topology. Pure: no I/O, no clients, no threads; safe to call from tests.
     *
     * @param topics            where to read and write raw, valid and dlq
     * @param dedupHorizon      how long an event id is remembered; must be positive
     * @param rules             the registry (read on every record, so edits apply while running)
     * @param discoveryTopic    the compacted topic discovered items are published to
     * @param discoveryInterval how often discovered items are published; must be positive
     */
    public static Topology buildTopology(TopicNames topics, Duration dedupHorizon, RegistryRules rules,
                                         String discoveryTopic, Duration discoveryInterval) {
        return buildTopology(topics, dedupHorizon, rules, discoveryTopic, discoveryInterval, SessionSettings.defaults(),
                TimestampSettings.defaults());
    }

    /**
     * Builds the topology with explicit session and timestamp settings. Pure: no I/O.
     *
     * @param sessions   session boundaries (every project gets these; see {@link SessionSettings})
     * @param timestamps the timestamp rule's settings
     */
    public static Topology buildTopology(TopicNames topics, Duration dedupHorizon, RegistryRules rules,
                                         String discoveryTopic, Duration discoveryInterval,
                                         SessionSettings sessions, TimestampSettings timestamps) {
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(timestamps, "timestamps");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(dedupHorizon, "dedupHorizon");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(discoveryTopic, "discoveryTopic");
        Objects.requireNonNull(discoveryInterval, "discoveryInterval");
        if (dedupHorizon.isNegative() || dedupHorizon.isZero()) {
            throw new IllegalArgumentException("dedupHorizon must be positive, got " + dedupHorizon);
        }
        if (discoveryInterval.isNegative() || discoveryInterval.isZero()) {
            throw new IllegalArgumentException("discoveryInterval must be positive, got " + discoveryInterval);
        }
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(DedupStores.windowStore(dedupHorizon));
        builder.addStateStore(DiscoveryStores.pending());
        builder.addStateStore(DiscoveryStores.totals());
        builder.addStateStore(ResolveStores.identity());
        builder.addStateStore(ResolveStores.devices());

        // Keys and values as plain strings/bytes cannot fail to deserialize: every malformed value reaches
        // the parse stage and becomes a dead letter with its original bytes. A record with an invalid
        // timestamp takes the partition's time instead of being skipped.
        KStream<String, IngestResult> ingested = builder
                .stream(topics.raw(), Consumed.with(Serdes.String(), Serdes.ByteArray())
                        .withTimestampExtractor(new UsePartitionTimeOnInvalidTimestamp())
                        .withName(SOURCE))
                .processValues(IngestProcessor::new, Named.as(PARSE_AND_MAP));

        ingested.process(() -> new DiscoveryCollector(rules, discoveryInterval), Named.as(DISCOVER), Discovery.PENDING_STORE)
                .repartition(Repartitioned.<String, DiscoveredItem>as(Discovery.REPARTITION)
                        .withKeySerde(Serdes.String()).withValueSerde(JsonSerdes.discoveredItem()))
                .process(() -> new DiscoveryAggregator(discoveryInterval), Named.as(DISCOVERY_AGGREGATE), Discovery.TOTALS_STORE)
                .to(discoveryTopic, Produced.with(Serdes.String(), JsonSerdes.discoveredItem()).withName(DISCOVERY_SINK));

        ingested.processValues(() -> new ValidateProcessor(rules), Named.as(VALIDATE))
                .split(Named.as("ingest-"))
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
                        .split(Named.as("dedup-"))
                        .branch((key, out) -> out instanceof DedupOutput.Duplicate,
                                Branched.withConsumer(duplicates -> duplicates
                                        .map((key, out) -> {
                                            DqFact fact = ((DedupOutput.Duplicate) out).fact();
                                            return KeyValue.pair(fact.projectId(), fact);
                                        }, Named.as("to-dq-fact"))
                                        .to(topics.dqFacts(), Produced.with(Serdes.String(), JsonSerdes.dqFact()).withName(DQ_FACTS_SINK)),
                                        "duplicates"))
                        .defaultBranch(Branched.withConsumer(unique -> identifyAndSessionize(unique
                                        .mapValues(out -> ((DedupOutput.Unique) out).event(), Named.as("to-unique-event")),
                                        topics, sessions, timestamps), "unique")),
                        "accepted"));
        return builder.build();
    }

    /** Unique events: repartitioned by identity, resolved and sessionized, then written to valid and the identity outputs. */
    private static void identifyAndSessionize(KStream<String, Event> events, TopicNames topics, SessionSettings sessions,
                                              TimestampSettings timestamps) {
        Function<String, SessionSettings> sessionsOfProject = project -> sessions;
        events.flatMap(EventTopology::routeByIdentity, Named.as(ROUTE_BY_IDENTITY))
                .repartition(Repartitioned.<String, IdentityInput>as(Identity.REPARTITION)
                        .withKeySerde(Serdes.String()).withValueSerde(CompactSerdes.identityInput()))
                .process(() -> new ResolveProcessor(sessionsOfProject, sessions.stateRetention(), timestamps),
                        Named.as(IDENTIFY_AND_SESSIONIZE), Identity.STORE_NAME, Sessions.DEVICE_STORE)
                .split(Named.as("resolved-"))
                .branch((key, out) -> out instanceof StageOutput.Resolved,
                        Branched.withConsumer(resolved -> resolved
                                .mapValues(out -> ((StageOutput.Resolved) out).event(), Named.as("to-valid-event"))
                                .to(topics.valid(), Produced.with(Serdes.String(), JsonSerdes.event()).withName(VALID_SINK)),
                                "events"))
                .defaultBranch(Branched.withConsumer(outputs -> outputs
                        .to((key, out, ctx) -> topicOf(topics, out),
                                Produced.with(Serdes.String(), StageOutputSerde.serde()).withName(IDENTITY_OUTPUTS_SINK)),
                        "identity-and-sessions"));
    }

    /** {@link #buildTopology(TopicNames, Duration, RegistryRules, String, Duration, SessionSettings, TimestampSettings)} with the settings' values. */
    public static Topology buildTopology(TopologySettings settings, RegistryRules rules) {
        return buildTopology(settings.topics(), settings.dedupHorizon(), rules, settings.discoveryTopic(),
                settings.discoveryInterval(), settings.sessions(), settings.timestamps());
    }

    /** The event keyed by {@code project:identity key}, plus the claim of an identify/alias event's user id. */
    private static List<KeyValue<String, IdentityInput>> routeByIdentity(String key, Event event) {
        KeyValue<String, IdentityInput> routed = KeyValue.pair(event.projectId() + ":" + IdentityRules.identityKey(event),
                IdentityInput.of(event));
        return IdentityRules.claim(event)
                .map(user -> List.of(routed, KeyValue.pair(event.projectId() + ":" + user, IdentityInput.of(
                        new IdentityInput.Claim(event.projectId(), user, event.eventId(), event.receivedAt())))))
                .orElse(List.of(routed));
    }

    private static String topicOf(TopicNames topics, StageOutput out) {
        if (out instanceof StageOutput.Link) {
            return topics.personDistinctIds();
        }
        if (out instanceof StageOutput.Property) {
            return topics.persons();
        }
        return topics.sessions(); // summaries and tombstones
    }
}
