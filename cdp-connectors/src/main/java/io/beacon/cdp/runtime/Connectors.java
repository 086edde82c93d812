package io.beacon.cdp.runtime;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.cdp.CdpSettings;
import io.beacon.cdp.api.CdpDlqRoutes;
import io.beacon.cdp.api.CdpRoutes;
import io.beacon.cdp.api.DeliveryLogRoutes;
import io.beacon.cdp.api.ResyncRoutes;
import io.beacon.cdp.audience.AudienceMembers;
import io.beacon.cdp.audience.AudienceResync;
import io.beacon.cdp.delivery.DestinationHealth;
import io.beacon.cdp.log.DeliveryLog;
import io.beacon.cdp.outbox.CdpTopics;
import io.beacon.cdp.outbox.DestinationDirectory;
import io.beacon.cdp.outbox.Lanes;
import io.beacon.cdp.outbox.OutboxWorker;
import io.beacon.cdp.outbox.StatusAnnouncer;
import io.beacon.cdp.privacy.PersonDeletion;
import io.beacon.cdp.send.HttpSender;
import io.beacon.cdp.send.Sender;
import io.beacon.cdp.triggers.TriggerMessages;
import io.beacon.cdp.triggers.TriggerRouter;
import io.beacon.control.ControlPlaneSettings;
import io.beacon.control.destinations.DestinationCatalog;
import io.beacon.control.destinations.DestinationDefinition;
import io.beacon.control.destinations.DestinationService;
import io.beacon.control.destinations.Subscription;
import io.beacon.control.dlq.DeadLetterSettings;
import io.beacon.control.project.ProjectDirectory;
import io.beacon.control.segments.SegmentCatalog;
import io.beacon.control.segments.SegmentDefinition;
import io.beacon.control.segments.SegmentService;
import io.beacon.control.store.ConfigStore;
import io.beacon.event.TopicNames;
import io.beacon.event.cdp.CdpCodec;
import io.beacon.event.cdp.DeliveryAttempt;
import io.beacon.event.cdp.IdempotencyKeys;
import io.beacon.event.cdp.MessageTypes;
import io.beacon.event.cdp.OutboxMessage;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connectors of one node (role {@code connectors}): the trigger router (segment changes and events → outbox),
 * an outbox worker (delivery, retries, DLQ, delivery log), the connectors' API routes and metrics. Start-up only
 * wires; the guarantees live in {@link TriggerRouter} (exactly once into the outbox) and {@link OutboxWorker} (at
 * least once to the receiver, with the message id as idempotency key).
 */
public final class Connectors implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Connectors.class);
    /** Consumer group of the outbox workers (prefixed like the topics). */
    public static final String WORKER_GROUP = "beacon-cdp-workers";
    /** Consumer group of the trigger routers (prefixed like the topics). */
    public static final String ROUTER_GROUP = "beacon-cdp-router";

    private final CdpSettings settings;
    private final DestinationCatalog catalog;
    /** Segment names for the messages, kept by a config listener (a store read per trigger parsed JSON each time). */
    private final SegmentCatalog segmentNames;
    private final HttpSender sender;
    private final Lanes lanes;
    private final OutboxWorker worker;
    private final TriggerRouter router;
    private final KafkaProducer<String, byte[]> producer;
    private final ExecutorService queries;
    private final ExecutorService resyncs;
    private final Route routes;
    private final AutoCloseable catalogListener;

    /**
     * What the node hands the connectors.
     *
     * @param audience the segment members a full resync reads (the engine's, on a node that runs it), or
     *                 {@code null}: resyncs then answer 503 {@code ENGINE_UNAVAILABLE}
     */
    public record Wiring(ConfigStore store, ProjectDirectory projects, DestinationService destinations,
                         SegmentService segments, ControlPlaneSettings controlPlane, ClickHouse clickhouse,
                         StatusAnnouncer announcer, String nodeId, AudienceMembers audience) {

        /** Without segment members (no engine on this node). */
        public Wiring(ConfigStore store, ProjectDirectory projects, DestinationService destinations,
                      SegmentService segments, ControlPlaneSettings controlPlane, ClickHouse clickhouse,
                      StatusAnnouncer announcer, String nodeId) {
            this(store, projects, destinations, segments, controlPlane, clickhouse, announcer, nodeId, null);
        }
    }

    private Connectors(CdpSettings settings, Wiring w, Sender customSender) {
        this.settings = settings;
        TopicNames topics = settings.topics();
        String prefix = settings.topicPrefix();
        CdpTopics.createIfMissing(settings.bootstrapServers(), topics, settings.partitions());
        this.catalog = new DestinationCatalog(w.store());
        this.catalogListener = catalog.onChange(k -> forwarding = null);
        this.producer = new KafkaProducer<>(producerProps(settings), new StringSerializer(), new ByteArraySerializer());
        DestinationDirectory directory = new DestinationDirectory() {
            @Override
            public Optional<DestinationDefinition> destination(String projectId, String destinationId) {
                return catalog.destination(projectId, destinationId);
            }

            @Override
            public void disable(String projectId, String destinationId, String reason) {
                w.destinations().setEnabled(projectId, destinationId, false, reason).whenComplete((d, e) -> {
                    if (e != null) {
                        LOG.error("could not disable destination {} of project {}", destinationId, projectId, e);
                    }
                });
            }
        };
        StatusAnnouncer announcer = (project, destination, change) -> {
            alert(project, destination, change);
            if (w.announcer() != null) {
                w.announcer().announce(project, destination, change);
            }
        };
        this.lanes = new Lanes(settings, directory, announcer, System::nanoTime);
        this.sender = customSender == null
                ? new HttpSender(settings.requestTimeout(), w.destinations().addresses(), System::currentTimeMillis) : null;
        Sender s = customSender != null ? customSender : sender;
        this.worker = new OutboxWorker(settings, topics, prefix + WORKER_GROUP, directory, s, lanes, System::currentTimeMillis);
        this.segmentNames = new SegmentCatalog(w.store());
        TriggerMessages messages = new TriggerMessages(catalog, (project, id) ->
                segmentNames.segment(project, id).map(SegmentDefinition::name).orElse(null));
        this.router = new TriggerRouter(settings, topics, prefix + ROUTER_GROUP, prefix + ROUTER_GROUP + "-" + w.nodeId(),
                messages, this::forwardsEvents);
        this.queries = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "cdp-queries");
            t.setDaemon(true);
            return t;
        });
        this.resyncs = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cdp-resync");
            t.setDaemon(true);
            return t;
        });
        AudienceResync resync = new AudienceResync(w.audience(), (project, id) ->
                w.segments().get(project, id).map(SegmentDefinition::name).orElse(null), this::enqueue, System::currentTimeMillis);
        List<Route> rs = new ArrayList<>();
        rs.add(new CdpRoutes(w.projects(), catalog::destination, this::sendTest, lanes, worker::pending).routes());
        if (w.clickhouse() != null) {
            rs.add(new DeliveryLogRoutes(w.projects(), new DeliveryLog(w.clickhouse(), Clock.systemUTC()), queries).routes());
        }
        rs.add(new ResyncRoutes(w.projects(), catalog::destination, resync, resyncs).routes());
        rs.add(new CdpDlqRoutes(w.projects(), DeadLetterSettings.from(w.controlPlane()),
                (project, id) -> catalog.destination(project, id).isPresent()).routes());
        this.routes = Directives.pathPrefix("api", () -> Directives.pathPrefix("v1", () -> Directives.concat(rs.get(0), rs.subList(1, rs.size()).toArray(new Route[0]))));
    }

    /** Starts the connectors with the HTTP adapter. */
    public static Connectors start(CdpSettings settings, Wiring wiring) {
        return start(settings, wiring, null);
    }

    /** Starts the connectors with {@code sender} instead of HTTP ({@code null} = HTTP), for tests of the machinery. */
    public static Connectors start(CdpSettings settings, Wiring wiring, Sender sender) {
        Connectors c = new Connectors(settings, wiring, sender);
        c.worker.start();
        c.router.start();
        LOG.info("connectors started: outbox {} ({} partitions), retry schedule {}", settings.topics().cdpOutbox(),
                settings.partitions(), settings.retrySchedule());
        return c;
    }

    /** Projects with an enabled event subscription; null = to be recomputed after a definition changed. */
    private volatile Set<String> forwarding;

    // whether any enabled destination of the project subscribes to events (read per event by the router)
    private boolean forwardsEvents(String project) {
        Set<String> f = forwarding;
        if (f == null) {
            f = new HashSet<>();
            for (DestinationDefinition d : catalog.enabled()) {
                if (d.subscriptions().stream().anyMatch(s -> s instanceof Subscription.EventMatching)) {
                    f.add(d.projectId());
                }
            }
            forwarding = f;
        }
        return f.contains(project);
    }

    /** The destination as this node's connectors see it now (their view of the config store). */
    public Optional<DestinationDefinition> destination(String projectId, String destinationId) {
        return catalog.destination(projectId, destinationId);
    }

    /** Puts a test message for {@code d} on the outbox; completes once Kafka has it. */
    public CompletionStage<OutboxMessage> sendTest(DestinationDefinition d) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("destination_id", d.id());
        data.put("message", "a test message from Beacon");
        long now = System.currentTimeMillis();
        OutboxMessage m = new OutboxMessage(d.projectId(), d.id(), "beacon-test",
                IdempotencyKeys.of("test", d.id(), UUID.randomUUID().toString()), MessageTypes.TEST_MESSAGE, now, data);
        return enqueue(m);
    }

    /** Puts {@code m} on the outbox (journeys, audience resync, the privacy hook use this); completes once Kafka has it. */
    public CompletionStage<OutboxMessage> enqueue(OutboxMessage m) {
        CompletableFuture<OutboxMessage> done = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(settings.topics().cdpOutbox(), m.key(), CdpCodec.encode(m)), (md, e) -> {
            if (e != null) {
                done.completeExceptionally(e);
            } else {
                done.complete(m);
            }
        });
        return done;
    }

    /**
     * The privacy hook: one {@code person.deleted} message per enabled destination of the project that can act on it
     * (webhooks and CRMs; push destinations get none, see {@link PersonDeletion}), with a fresh request id. Completes
     * with the message ids once Kafka has them all.
     */
    public CompletionStage<List<String>> deletePerson(String projectId, String personId) {
        return deletePerson(projectId, personId, UUID.randomUUID().toString());
    }

    /** {@link #deletePerson(String, String)} with the caller's request id: the same request id gives the same message ids. */
    public CompletionStage<List<String>> deletePerson(String projectId, String personId, String requestId) {
        List<OutboxMessage> messages = PersonDeletion.messages(catalog.enabled(), projectId, personId, requestId,
                System.currentTimeMillis());
        List<CompletableFuture<OutboxMessage>> sent = new ArrayList<>(messages.size());
        for (OutboxMessage m : messages) {
            sent.add(enqueue(m).toCompletableFuture());
        }
        LOG.info("person deletion {} of project {}: {} destination message(s)", requestId, projectId, messages.size());
        return CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0]))
                .thenApply(x -> messages.stream().map(OutboxMessage::messageId).toList());
    }

    // the alert destination (beacon.cdp.alert-destination) hears of every state change of another destination
    private void alert(String project, String destination, DestinationHealth.StatusChange change) {
        Optional<String> alertId = settings.alertDestinationId();
        if (alertId.isEmpty() || alertId.get().equals(destination)) {
            return;
        }
        Optional<DestinationDefinition> target = catalog.destination(project, alertId.get());
        if (target.isEmpty()) {
            return;
        }
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("destination_id", destination);
        data.put("from", change.from().name().toLowerCase(Locale.ROOT));
        data.put("to", change.to().name().toLowerCase(Locale.ROOT));
        data.put("reason", change.reason());
        data.put("at", Instant.ofEpochMilli(change.atMs()).toString());
        String id = IdempotencyKeys.of("status", alertId.get(), project, destination, change.to().name(), Long.toString(change.atMs()));
        enqueue(new OutboxMessage(project, alertId.get(), "beacon-alerts", id, "destination.status_changed", change.atMs(), data));
    }

    /** The connectors' routes below {@code /api/v1} (mounted before the control plane's destination CRUD). */
    public Route routes() {
        return routes;
    }

    /** "ok", or why not ready. */
    public String readiness() {
        String w = worker.readiness();
        return !w.equals("ok") ? w : router.readiness();
    }

    /**
     * The connectors' metrics on this node as Prometheus snapshots, read from the lanes and the worker at each
     * scrape: what a node's registry collects at {@code GET /metrics}.
     */
    public MultiCollector metrics() {
        return this::metricSnapshots;
    }

    /** {@link #metrics} written in the Prometheus text format 0.0.4. */
    public String metricsText() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, metricSnapshots());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private MetricSnapshots metricSnapshots() {
        List<Lanes.LaneStats> stats = lanes.stats();
        CounterSnapshot.Builder attempts = CounterSnapshot.builder().name("beacon_cdp_attempts")
                .help("Delivery attempts by destination and outcome, since this node started.");
        // a gauge with a quantile label, as before the registry (dashboards read it): not a Prometheus summary
        GaugeSnapshot.Builder latency = GaugeSnapshot.builder().name("beacon_cdp_latency_ms")
                .help("Delivery attempt latency percentiles by destination, since this node started.");
        GaugeSnapshot.Builder status = GaugeSnapshot.builder().name("beacon_cdp_destination_status")
                .help("1 for the state each destination is in on this node.");
        for (Lanes.LaneStats s : stats) {
            Labels lane = Labels.of("project", s.projectId(), "destination", s.destinationId());
            for (Map.Entry<DeliveryAttempt.Outcome, Long> e : s.attempts().entrySet()) {
                attempts.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                        .labels(lane.add("outcome", e.getKey().wireName())).value(e.getValue()).build());
            }
            latency.dataPoint(gauge(lane.add("quantile", "0.5"), s.p50Ms()));
            latency.dataPoint(gauge(lane.add("quantile", "0.95"), s.p95Ms()));
            latency.dataPoint(gauge(lane.add("quantile", "0.99"), s.p99Ms()));
            status.dataPoint(gauge(lane.add("status", s.status().name().toLowerCase(Locale.ROOT)), 1));
        }
        GaugeSnapshot pending = GaugeSnapshot.builder().name("beacon_cdp_pending_messages")
                .help("Outbox messages held by this node's worker.").dataPoint(gauge(Labels.EMPTY, worker.pending())).build();
        return MetricSnapshots.of(attempts.build(), latency.build(), status.build(), pending);
    }

    private static GaugeSnapshot.GaugeDataPointSnapshot gauge(Labels labels, double value) {
        return GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    private static Properties producerProps(CdpSettings settings) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "beacon-cdp-enqueue");
        return p;
    }

    @Override
    public void close() {
        router.close();
        worker.close();
        if (sender != null) {
            sender.close();
        }
        producer.close();
        queries.shutdownNow();
        resyncs.shutdownNow();
        try {
            catalogListener.close();
        } catch (Exception e) {
            LOG.debug("listener removal failed", e);
        }
        catalog.close();
        segmentNames.close();
    }
}
