package io.beacon.platform;

import com.typesafe.config.Config;
import io.beacon.cdp.CdpSettings;
import io.beacon.cdp.outbox.CdpTopics;
import io.beacon.control.ControlPlaneSettings;
import io.beacon.control.project.ProjectKeys;
import io.beacon.control.registry.PropertyDefinition;
import io.beacon.control.runtime.ControlPlane;
import io.beacon.control.store.Change;
import io.beacon.control.store.ConfigEntry;
import io.beacon.engine.runtime.EngineRuntimeSettings;
import io.beacon.engine.runtime.EngineTopics;
import io.beacon.gateway.GatewaySettings;
import io.beacon.gateway.KafkaEventLog;
import io.beacon.gateway.runtime.Gateway;
import io.beacon.streams.runtime.EventPipeline;
import io.beacon.streams.runtime.EventTopics;
import io.beacon.streams.runtime.TopologySettings;
import io.beacon.warehouse.WarehouseSettings;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.beacon.warehouse.schema.Migrations;
import io.beacon.warehouse.sink.DeliverySink;
import io.beacon.warehouse.sink.JourneyEventSink;
import io.beacon.warehouse.sink.SegmentChangeSink;
import io.beacon.warehouse.sink.SinkFaultInjection;
import io.beacon.warehouse.sink.TopicTableSink;
import io.beacon.warehouse.widening.PromotedColumns;
import io.beacon.warehouse.widening.PromotedType;
import io.beacon.warehouse.widening.Promotion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Beacon process: starts the roles it is configured for and composes their routes, plus the
 * health routes, into one pekko-http server. Start-up only wires; each role's logic lives in its
 * module. {@link #close()} stops the roles in data-flow order so nothing accepted is lost.
 */
public final class BeaconNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BeaconNode.class);

    private final PlatformSettings settings;
    private final ActorSystem<Void> system;
    private final ServerBinding binding;
    private final KafkaEventLog eventLog;
    private final EventPipeline pipeline;
    private final ClickHouse clickhouse;
    private final TopicTableSink sink;
    private final Migrations migrations;
    private final Readiness readiness;
    private final ControlPlane controlPlane;
    /** Sinks of sessions, persons and person_distinct_ids (role sink); closed with the events sink. */
    private final List<TopicTableSink> identitySinks = new ArrayList<>();
    private final AbtestWiring abtest;
    private final AnalyticsWiring analytics;
    /** The actor engine (role engine), or null. */
    private EngineWiring engine;
    /** beacon.segment.changes → segment_changes (role sink), or null. */
    private SegmentChangeSink segmentChangeSink;
    /** beacon.cdp.deliveries → deliveries (role sink), or null. */
    private DeliverySink deliverySink;
    /** Data quality (collector and checker with the sink role; the API on every node). */
    private DqWiring dq;
    /** beacon.journey.events → journey_events (role sink), or null. */
    private JourneyEventSink journeyEventSink;
    /** The CDP connectors (role connectors), or null. */
    private ConnectorsWiring connectors;
    /** Models: directory, promotions, API, the engine's hot-swap listener. */
    private ModelWiring models;

    private BeaconNode(AnalyticsWiring analytics, AbtestWiring abtest, ControlPlane controlPlane, PlatformSettings settings, ActorSystem<Void> system, ServerBinding binding, KafkaEventLog eventLog,
                       EventPipeline pipeline, ClickHouse clickhouse, Migrations migrations, TopicTableSink sink,
                       Readiness readiness) {
        this.readiness = readiness;
        this.controlPlane = controlPlane;
        this.abtest = abtest;
        this.analytics = analytics;
        this.settings = settings;
        this.system = system;
        this.binding = binding;
        this.eventLog = eventLog;
        this.pipeline = pipeline;
        this.clickhouse = clickhouse;
        this.migrations = migrations;
        this.sink = sink;
    }

    /**
     * Starts the configured roles and the HTTP server; returns once the server is bound.
     *
     * @throws IllegalStateException when a dependency (Kafka, ClickHouse, the port) is not usable
     */
    public static BeaconNode start(Config config) {
        PlatformSettings settings = PlatformSettings.fromConfig(config);
        Set<Role> roles = settings.roles();
        TopologySettings topology = TopologySettings.fromConfig(config);
        List<AutoCloseable> started = new ArrayList<>();
        try {
            EventTopics.createIfMissing(topology);
            // the engine's changelog and segment-changes topics, with the partition count of beacon.events.valid
            EngineTopics.createIfMissing(EngineRuntimeSettings.fromConfig(config));
            if (roles.contains(Role.SINK) || roles.contains(Role.CONNECTORS) || roles.contains(Role.ENGINE)) {
                // the connectors' topics, before the delivery-log sink subscribes to one of them and before the
                // engine's journeys send to the outbox
                CdpSettings cdp = CdpSettings.fromConfig(config);
                CdpTopics.createIfMissing(cdp.bootstrapServers(), cdp.topics(), cdp.partitions());
            }
            // The control plane's view of beacon.config is complete before any role starts, so
            // keys and registry definitions are known to the first request and the first event.
            ControlPlane controlPlane = ControlPlane.start(ControlPlaneSettings.fromConfig(config));
            started.add(controlPlane);
            if (!settings.writeKey().isBlank()) {
                controlPlane.projects().bootstrapProject(settings.projectId(), settings.projectName(),
                        settings.writeKey(), settings.secretKey().isBlank() ? ProjectKeys.newSecretKey() : settings.secretKey());
            }

            ClickHouse clickhouse = null;
            Migrations migrations = null;
            TopicTableSink sink = null;
            List<TopicTableSink> identitySinks = new ArrayList<>();
            SegmentChangeSink segmentChangeSink = null;
            DeliverySink deliverySink = null;
            JourneyEventSink journeyEventSink = null;
            if (roles.contains(Role.SINK)) {
                WarehouseSettings warehouse = WarehouseSettings.fromConfig(config);
                clickhouse = ClickHouse.connect(warehouse.clickhouse());
                started.add(clickhouse);
                migrations = new Migrations(clickhouse);
                List<Integer> applied = migrations.apply();
                LOG.info("ClickHouse {} schema at version {} ({} migrations applied now)",
                        warehouse.clickhouse().url(), migrations.appliedVersion(), applied.size());
                PromotedColumns promoted = new PromotedColumns(clickhouse);
                started.add(promoted);
                promoted.load(); // earlier promotions are known before the first record is written
                started.add(controlPlane.store().addListener(PropertyDefinition.KIND,
                        change -> onPropertyChange(promoted, change), false));
                // catch up on edits made while no sink ran (runs on the promotion thread, after the listener exists)
                promoted.reconcile(() -> controlPlane.store().list(PropertyDefinition.KIND).stream()
                        .flatMap(e -> property(e).filter(PropertyDefinition::promoted)
                                .map(d -> promotion(e.key().project(), e.key().id(), d)).stream())
                        .toList()).join();
                sink = new TopicTableSink(warehouse, clickhouse, promoted, SinkFaultInjection.fromConfig(config));
                sink.start();
                started.add(sink);
                // sessions, persons and person_distinct_ids: one sink per topic, same at-least-once machinery
                for (TopicTableSink identitySink : TopicTableSink.sessionAndIdentitySinks(warehouse, clickhouse)) {
                    identitySink.start();
                    started.add(identitySink);
                    identitySinks.add(identitySink);
                }
                // the engine's segment entries/exits, same at-least-once machinery (segment_changes, read with FINAL)
                segmentChangeSink = new SegmentChangeSink(warehouse, clickhouse);
                segmentChangeSink.start();
                started.add(segmentChangeSink);
                // the connectors' delivery attempts, same machinery (deliveries, read with FINAL)
                deliverySink = new DeliverySink(warehouse, clickhouse);
                deliverySink.start();
                started.add(deliverySink);
                // what happened to the engine's journey runs, same machinery (journey_events: per-step counts, funnels)
                journeyEventSink = new JourneyEventSink(warehouse, clickhouse);
                journeyEventSink.start();
                started.add(journeyEventSink);
            }
            EventPipeline pipeline = null;
            if (roles.contains(Role.STREAMS)) {
                pipeline = new EventPipeline(topology, controlPlane);
                pipeline.start();
                started.add(pipeline);
            }

            ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "beacon", config);
            started.add(system::terminate);
            KafkaEventLog eventLog = null;
            Route routes = Directives.reject();
            // posthog-js /flags and /decide: running experiments' variations, once the A/B module below is attached
            AbtestFeatureFlags featureFlags = new AbtestFeatureFlags(true);
            if (roles.contains(Role.GATEWAY)) {
                GatewaySettings gatewaySettings = GatewaySettings.fromConfig(config);
                eventLog = new KafkaEventLog(gatewaySettings.kafka());
                started.add(eventLog);
                routes = new Gateway(gatewaySettings, controlPlane.projects()::projectIdForWriteKey, eventLog, featureFlags).route();
            }
            // Realtime engine: per-user state, segments, /api/v1/users and /api/v1/segments/{id}/members|stats
            // churn/LTV models: the model directory, promotions in the config store, /api/v1/models; the engine hot-swaps
            ModelWiring models = new ModelWiring(config, controlPlane);
            started.add(models);
            EngineWiring engine = roles.contains(Role.ENGINE) ? EngineWiring.start(config, controlPlane, models) : null;
            if (engine != null) {
                started.add(engine);
            }
            // A/B testing: experiments API, assignments (exposures go through the gateway's event log); targeting by
            // segment reads the engine's realtime memberships when this node runs it (else the caller's 'segments')
            // CDP connectors: segment/event triggers -> beacon.cdp.outbox -> signed webhooks, push, CRM
            ConnectorsWiring connectors = roles.contains(Role.CONNECTORS)
                    ? ConnectorsWiring.start(config, controlPlane, eventLog, clickhouse, EngineRuntimeSettings.fromConfig(config).nodeId(),
                            engine == null ? null : engine.engine())
                    : null;
            if (connectors != null) {
                started.add(connectors);
            }
            AbtestWiring abtest = AbtestWiring.start(config, controlPlane, eventLog, clickhouse, engine == null ? null : engine.engine());
            started.add(abtest);
            featureFlags.attach(abtest.abtest());
            // Self-service analysis: /api/v1/insights/{trends,funnels,retention}
            AnalyticsWiring analytics = AnalyticsWiring.start(config, controlPlane, clickhouse);
            started.add(analytics);
            // Data quality: stage counts, loss, reconciliation and alerts (collector and checker with the sink role)
            DqWiring dq = DqWiring.start(config, controlPlane, roles.contains(Role.SINK), analytics.clickhouse(), eventLog,
                    analytics.analytics().executor());
            started.add(dq);
            Readiness readiness = new Readiness(settings, topology.bootstrapServers(), clickhouse, migrations, pipeline, sink);
            readiness.dataQuality(dq);
            readiness.engine(engine);
            readiness.connectors(connectors);
            started.add(readiness::close);
            HealthRoutes health = new HealthRoutes(readiness);
            Route all = Directives.concat(health.route(), routes, metricsRoute(engine, connectors, eventLog, dq),
                    connectors == null ? Directives.reject() : connectors.routes(), // before /api/v1/destinations CRUD
                    engine == null ? Directives.reject() : engine.routes(), // before /api/v1/segments CRUD
                    models.routes(controlPlane, engine == null ? Optional.empty() : Optional.of(engine.models())),
                    controlPlane.routes(), abtest.routes(), analytics.routes(), dq.routes(), DashboardWiring.routes(controlPlane, analytics.analytics()),
                    JourneySimulateRoutes.of(config, controlPlane, analytics.clickhouse(), analytics.analytics().executor()).routes(),
                    DemoRoutes.forRoles(roles, settings.writeKey()), new ConsoleRoutes(settings.consoleDir()).route(),
                    HealthRoutes.notFound());
            ServerBinding binding = Http.get(system).newServerAt(settings.httpHost(), settings.httpPort())
                    .bind(all).toCompletableFuture().get(30, TimeUnit.SECONDS);
            LOG.info("Beacon roles {} serving on {}", roles, binding.localAddress());
            BeaconNode node = new BeaconNode(analytics, abtest, controlPlane, settings, system, binding, eventLog, pipeline, clickhouse, migrations, sink, readiness);
            node.identitySinks.addAll(identitySinks);
            node.engine = engine;
            node.segmentChangeSink = segmentChangeSink;
            node.deliverySink = deliverySink;
            node.journeyEventSink = journeyEventSink;
            node.connectors = connectors;
            node.models = models;
            node.dq = dq;
            return node;
        } catch (Exception e) {
            for (int i = started.size() - 1; i >= 0; i--) {
                closeQuietly(started.get(i));
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("Beacon could not start: " + cause.getMessage(), cause);
        }
    }


    /**
     * {@code GET /metrics} on every node: one Prometheus registry with the JVM's metrics and those of the engine,
     * the connectors and the gateway where they run ({@link NodeMetrics}); answered before the engine's own.
     */
    private static Route metricsRoute(EngineWiring engine, ConnectorsWiring connectors, KafkaEventLog gatewayLog, DqWiring dq) {
        return NodeMetrics.of(engine, connectors, gatewayLog, dq).route();
    }

    /** Widening: a property marked {@code promoted} gets a typed column; unpromoting stops filling it. */
    private static void onPropertyChange(PromotedColumns promoted, Change change) {
        String project = change.key().project();
        String name = change.key().id();
        Optional<PropertyDefinition> now = change.current().flatMap(BeaconNode::property);
        if (now.isPresent() && now.get().promoted()) {
            promoted.promote(promotion(project, name, now.get()));
        } else if (change.previous().flatMap(BeaconNode::property).map(PropertyDefinition::promoted).orElse(false)) {
            promoted.demote(project, name);
        }
    }

    private static Promotion promotion(String project, String name, PropertyDefinition d) {
        return new Promotion(project, name, PromotedType.fromWire(d.type().wireName()));
    }

    private static Optional<PropertyDefinition> property(ConfigEntry e) {
        try {
            return Optional.of(e.as(PropertyDefinition.class));
        } catch (IllegalArgumentException bad) {
            return Optional.empty(); // not a valid definition: nothing to promote
        }
    }

    /**
     * Polls the readiness check until every check is "ok" or the deadline passes.
     *
     * @return the last check results (all "ok" when ready)
     */
    public Map<String, String> awaitReady(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        Map<String, String> checks = readiness.check();
        while (!Readiness.allOk(checks) && System.nanoTime() < end) {
            try {
                Thread.sleep(100); // poll interval of a readiness probe with a deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            checks = readiness.check();
        }
        return checks;
    }

    /** The base URL of the HTTP server, e.g. {@code http://127.0.0.1:8080}. */
    public String httpUrl() {
        return "http://" + settings.httpHost() + ":" + binding.localAddress().getPort();
    }

    public int httpPort() {
        return binding.localAddress().getPort();
    }

    public Set<Role> roles() {
        return settings.roles();
    }

    /** The control plane view this node serves (projects, registry, config store). */
    public ControlPlane controlPlane() {
        return controlPlane;
    }

    /** The data-quality module of this node. */
    public DqWiring dataQuality() {
        return dq;
    }

    /** The actor engine of this node (role engine). */
    public Optional<EngineWiring> engine() {
        return Optional.ofNullable(engine);
    }

    /** The CDP connectors of this node (role connectors). */
    public Optional<ConnectorsWiring> connectors() {
        return Optional.ofNullable(connectors);
    }

    public Optional<TopicTableSink> sink() {
        return Optional.ofNullable(sink);
    }

    /**
     * Stops accepting requests, then closes the gateway's producer (flushing acknowledged sends),
     * the topology and the sink (which flushes and commits), then the actor system.
     */
    @Override
    public void close() {
        try {
            binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("HTTP unbind did not finish cleanly", e);
        }
        closeQuietly(dq); // before the event log its alerts go through and the ClickHouse client it reads
        closeQuietly(analytics); // before the ClickHouse client it may use
        closeQuietly(abtest); // before the event log and ClickHouse it uses, and the engine it asks for segments
        closeQuietly(connectors); // before the event log it announces through and the ClickHouse client it reads
        closeQuietly(engine); // finishes its batch in flight, leaves the group and the cluster
        closeQuietly(models); // after the engine that scores with its catalog
        closeQuietly(eventLog);
        if (pipeline != null) {
            pipeline.close(Duration.ofSeconds(30));
        }
        closeQuietly(sink);
        identitySinks.forEach(BeaconNode::closeQuietly);
        closeQuietly(segmentChangeSink);
        closeQuietly(deliverySink);
        closeQuietly(journeyEventSink);
        closeQuietly(clickhouse);
        closeQuietly(controlPlane);
        readiness.close();
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("actor system did not terminate in time", e);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("error while closing {}", c, e);
        }
    }
}
