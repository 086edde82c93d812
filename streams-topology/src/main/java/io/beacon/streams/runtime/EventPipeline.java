package io.beacon.streams.runtime;

import io.beacon.control.ControlPlaneSettings;
import io.beacon.control.runtime.ControlPlane;
import io.beacon.control.store.ConfigStoreSettings;
import io.beacon.control.store.KafkaConfigStore;
import io.beacon.streams.dedup.Deduplication;
import io.beacon.streams.internal.DeadLetterDeserializationExceptionHandler;
import io.beacon.streams.internal.DeadLetterProcessingExceptionHandler;
import io.beacon.streams.internal.DeadLetterProductionExceptionHandler;
import io.beacon.streams.internal.DeadLetterRecords;
import io.beacon.streams.validate.RegistryRules;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link EventTopology} in a {@link KafkaStreams} instance: the {@code streams} role of the platform.
 *
 * <p>Always {@code processing.guarantee=exactly_once_v2}. Nothing disappears silently: bad input is a
 * dead letter by design, unexpected processor/serialization/deserialization failures are routed to the
 * DLQ by the handlers in {@link #streamsConfig(TopologySettings)}, and a stream thread that dies anyway is
 * logged and replaced ({@code REPLACE_THREAD}); its uncommitted work is reprocessed.
 *
 * <p>The validate and discover stages read the registry through {@link RegistryRules}, i.e. the
 * in-memory view of a control plane's config store: an edit made through the admin API (in any process)
 * applies to records processed as soon as this process's view has read it — typically well under a
 * second — without a restart. In a platform process, pass the process's {@link ControlPlane}
 * ({@link #EventPipeline(TopologySettings, ControlPlane)}), so one view serves every role.
 *
 * <p>Constructing does no I/O; {@link #start()} connects. Create the topics first with
 * {@link EventTopics#createIfMissing(TopologySettings)}.
 */
public final class EventPipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventPipeline.class);
    private static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final TopologySettings settings;
    private final KafkaStreams streams;
    /** A control plane this pipeline created for itself, started and closed with it; {@code null} when given one. */
    private final ControlPlane ownControlPlane;

    /**
     * A pipeline enforcing the registry of a running control plane (the platform's wiring); the caller
     * keeps owning {@code controlPlane} and closes it after this pipeline.
     */
    public EventPipeline(TopologySettings settings, ControlPlane controlPlane) {
        this(settings, RegistryRules.of(Objects.requireNonNull(controlPlane, "controlPlane")), null);
    }

    /** A pipeline enforcing {@code rules} (tests, or another source of registry views). */
    public EventPipeline(TopologySettings settings, RegistryRules rules) {
        this(settings, rules, null);
    }

    /**
     * A pipeline with a control plane of its own on {@code <topic-prefix>beacon.config} (same bootstrap
     * servers and prefix as {@code settings}), whose view {@link #start()} loads before processing begins
     * and {@link #close()} closes. For a process that runs only the topology; where a {@link ControlPlane}
     * exists already, pass it instead.
     */
    public EventPipeline(TopologySettings settings) {
        this(settings, ownControlPlane(settings), true);
    }

    private EventPipeline(TopologySettings settings, ControlPlane own, boolean owned) {
        this(settings, RegistryRules.of(own), owned ? own : null);
    }

    private EventPipeline(TopologySettings settings, RegistryRules rules, ControlPlane ownControlPlane) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.ownControlPlane = ownControlPlane;
        Topology topology = EventTopology.buildTopology(settings, Objects.requireNonNull(rules, "rules"));
        this.streams = new KafkaStreams(topology, streamsConfig(settings));
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("stream thread of {} died; replacing it", settings.applicationId(), e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> LOG.info("{}: {} -> {}", settings.applicationId(), before, now));
    }

    /**
     * The Kafka Streams configuration for {@code settings}. {@code kafka-properties} are applied first, so
     * they cannot override the guarantee, identity, addresses or handlers set here.
     */
    public static Properties streamsConfig(TopologySettings settings) {
        Properties p = new Properties();
        p.putAll(settings.kafkaProperties());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.numStreamThreads());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.commitInterval().toMillis());
        p.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toAbsolutePath().toString());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, settings.replicationFactor());
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationExceptionHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingExceptionHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true); // future default; no global stores yet
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionExceptionHandler.class);
        p.put(DeadLetterRecords.DLQ_TOPIC_CONFIG, settings.topics().dlq());
        return p;
    }

    /** A control plane on an unstarted Kafka store (no I/O yet; {@link #start()} starts it). */
    private static ControlPlane ownControlPlane(TopologySettings settings) {
        ControlPlaneSettings cp = new ControlPlaneSettings(settings.bootstrapServers(), settings.topicPrefix(),
                Duration.ofSeconds(10), Duration.ofSeconds(60), Optional.empty(), settings.topicReplicationFactor(),
                Duration.ofMinutes(5), Map.of());
        return new ControlPlane(new KafkaConfigStore(ConfigStoreSettings.from(cp)), cp);
    }

    /**
     * Starts processing (asynchronously: poll {@link #isRunning()} for readiness). With a control plane of
     * its own, first loads its config view (blocking, up to 60 s), so the first record already sees the
     * full registry.
     */
    public void start() {
        if (ownControlPlane != null) {
            ownControlPlane.store().start();
        }
        LOG.info("starting {} (raw={}, valid={}, dlq={}, dedup horizon {})", settings.applicationId(),
                settings.topics().raw(), settings.topics().valid(), settings.topics().dlq(), settings.dedupHorizon());
        streams.start();
    }

    /**
     * Stops processing, committing what was processed, and leaves the consumer group so that the partitions
     * move to the remaining instances at once rather than after the session timeout.
     *
     * @return whether everything stopped within {@code timeout}
     */
    public boolean close(Duration timeout) {
        boolean closed = streams.close(CloseOptions.timeout(timeout)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        if (ownControlPlane != null) {
            ownControlPlane.close();
        }
        return closed;
    }

    /** {@link #close(Duration)} with 30 seconds. */
    @Override
    public void close() {
        close(DEFAULT_CLOSE_TIMEOUT);
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Whether the instance is processing (or rebalancing, which it does while healthy). */
    public boolean isRunning() {
        return streams.state().isRunningOrRebalancing();
    }

    /**
     * Duplicates dropped by the dedup tasks currently assigned to this instance, since their assignment
     * (a task moving to another instance takes its count with it; Prometheus-style scrapers sum over instances).
     */
    public long duplicatesDropped() {
        double total = 0;
        for (var e : streams.metrics().entrySet()) {
            MetricName name = e.getKey();
            Metric metric = e.getValue();
            if (name.name().equals(Deduplication.METRIC_NAME + "-total")
                    && name.group().contains(Deduplication.METRIC_SCOPE)) {
                total += ((Number) metric.metricValue()).doubleValue();
            }
        }
        return (long) total;
    }

    public TopologySettings settings() {
        return settings;
    }
}
