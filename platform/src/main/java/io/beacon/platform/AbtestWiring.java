package io.beacon.platform;

import com.typesafe.config.Config;
import io.beacon.abtest.AnalyticsQueries;
import io.beacon.abtest.ExposureSink;
import io.beacon.abtest.adapters.KafkaStickyBuckets;
import io.beacon.abtest.assignment.ConfigStoreStickyBuckets;
import io.beacon.abtest.assignment.InMemoryStickyBucketStore;
import io.beacon.abtest.assignment.SegmentLookup;
import io.beacon.abtest.assignment.StickyBucketDoc;
import io.beacon.abtest.assignment.StickyBucketStore;
import io.beacon.abtest.runtime.Abtest;
import io.beacon.abtest.runtime.AbtestSettings;
import io.beacon.control.ControlPlaneSettings;
import io.beacon.control.runtime.ControlPlane;
import io.beacon.control.store.ConfigEntry;
import io.beacon.control.store.ConfigStoreSettings;
import io.beacon.engine.runtime.Engine;
import io.beacon.event.EventMapper;
import io.beacon.event.RawEnvelope;
import io.beacon.gateway.EventLog;
import io.beacon.gateway.GatewaySettings;
import io.beacon.gateway.KafkaEventLog;
import io.beacon.warehouse.WarehouseSettings;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.beacon.warehouse.clickhouse.QueryResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.LoggerFactory;

/**
 * Wires the {@code abtest} module into a node: its two ports get their adapters here —
 * {@link ExposureSink} onto the gateway's {@link EventLog} (exposures enter the raw topic like any
 * collected event, keyed {@code project:distinct_id}) and {@link AnalyticsQueries} onto the warehouse's
 * {@link ClickHouse} client — and sticky bucketing gets its own compacted topic ({@link KafkaStickyBuckets}).
 * A node without the gateway or sink role gets its own producer or client, closed with the wiring. On a node
 * with the engine role, targeting by segment reads units' realtime memberships from the engine
 * ({@link EngineSegmentLookup}).
 */
public final class AbtestWiring implements AutoCloseable {
    /** {@code linger.ms} of the exposure producer (reference.conf of abtest). */
    static final String EXPOSURE_LINGER = "beacon.abtest.exposure-linger";
    private final Abtest abtest;
    private final List<AutoCloseable> owned;

    private AbtestWiring(Abtest abtest, List<AutoCloseable> owned) {
        this.abtest = abtest;
        this.owned = owned;
    }

    /**
     * @param eventLog   the node's gateway event log, used for exposures when its linger equals
     *                   {@code beacon.abtest.exposure-linger}; otherwise (or {@code null}) the wiring creates its own
     * @param clickhouse the node's ClickHouse client, or {@code null} to create one from the config
     */
    public static AbtestWiring start(Config config, ControlPlane controlPlane, EventLog eventLog, ClickHouse clickhouse) {
        return start(config, controlPlane, eventLog, clickhouse, null);
    }

    /**
     * @param engine the node's actor engine (role {@code engine}): experiments that target segments read units'
     *               realtime memberships from it ({@link EngineSegmentLookup}); {@code null}: {@link SegmentLookup#NONE},
     *               targeting by segment then needs the caller's {@code segments} attribute
     */
    public static AbtestWiring start(Config config, ControlPlane controlPlane, EventLog eventLog, ClickHouse clickhouse,
                                     Engine engine) {
        List<AutoCloseable> owned = new ArrayList<>();
        // The API answers a first assignment once its exposures are acknowledged, so the producer's linger is part of
        // that answer's latency: exposures get their own producer when the gateway's lingers longer (5 ms by default).
        EventLog log = eventLog;
        GatewaySettings.Kafka kafka = GatewaySettings.fromConfig(config).kafka();
        Duration linger = config.getDuration(EXPOSURE_LINGER);
        if (log == null || !kafka.linger().equals(linger)) {
            KafkaEventLog own = new KafkaEventLog(new GatewaySettings.Kafka(kafka.bootstrapServers(), kafka.topicPrefix(), linger,
                    kafka.compression(), kafka.maxBlock(), kafka.requestTimeout(), kafka.deliveryTimeout(), kafka.sendThreads(),
                    kafka.sendQueueSize(), kafka.properties()));
            owned.add(own);
            log = own;
        }
        ClickHouse ch = clickhouse;
        if (ch == null) {
            ch = ClickHouse.connect(WarehouseSettings.fromConfig(config).clickhouse());
            owned.add(ch);
        }
        AbtestSettings settings = AbtestSettings.fromConfig(config);
        StickyBucketStore sticky = new InMemoryStickyBucketStore(); // unused when sticky bucketing is off
        if (settings.stickyBucketing()) {
            ControlPlaneSettings cp = ControlPlaneSettings.fromConfig(config);
            KafkaStickyBuckets topic;
            try {
                topic = new KafkaStickyBuckets(ConfigStoreSettings.from(cp), cp.topicPrefix()).start();
            } catch (RuntimeException e) {
                owned.forEach(AbtestWiring::closeQuietly);
                throw e;
            }
            owned.add(topic);
            importConfigStoreDocuments(controlPlane, topic);
            sticky = topic;
        }
        SegmentLookup segments = engine == null ? SegmentLookup.NONE : new EngineSegmentLookup(engine, settings.segmentLookupTimeout());
        Abtest abtest = new Abtest(controlPlane.store(), controlPlane.projects(), sticky, exposureSink(log), analyticsQueries(ch),
                segments, settings, System::currentTimeMillis);
        return new AbtestWiring(abtest, owned);
    }

    /**
     * Sticky documents that earlier versions kept in the config store (kind {@code sticky-bucket})
     * are copied to the sticky-bucket topic once, so units keep their variations across the upgrade.
     */
    private static void importConfigStoreDocuments(ControlPlane controlPlane, KafkaStickyBuckets topic) {
        int copied = 0;
        for (ConfigEntry e : controlPlane.store().list(ConfigStoreStickyBuckets.KIND)) {
            StickyBucketDoc doc = e.as(StickyBucketDoc.class);
            Map<String, String> missing = new HashMap<>(doc.assignments());
            topic.get(e.key().project(), doc.attributeName(), doc.attributeValue())
                    .ifPresent(have -> missing.keySet().removeAll(have.assignments().keySet()));
            if (!missing.isEmpty()) {
                topic.save(e.key().project(), new StickyBucketDoc(doc.attributeName(), doc.attributeValue(), missing));
                copied++;
            }
        }
        if (copied > 0) {
            LoggerFactory.getLogger(AbtestWiring.class).info("copied {} sticky-bucket documents from the config store to {}",
                    copied, topic.topic());
        }
    }

    /**
     * Exposure envelopes → event-log entries keyed like the gateway keys them. The envelopes come from
     * {@code ExposureEvents.envelope}, valid by construction (its tests map them), so only the key is
     * derived here instead of running the whole {@link EventMapper} per exposure on the request path.
     */
    static ExposureSink exposureSink(EventLog log) {
        return envelopes -> {
            List<EventLog.Entry> entries = new ArrayList<>(envelopes.size());
            for (RawEnvelope env : envelopes) {
                String key = partitionKey(env);
                if (key == null) {
                    return CompletableFuture.failedFuture(new IllegalArgumentException("exposure event " + env.eventId() + " has no unit"));
                }
                entries.add(new EventLog.Entry(key, env));
            }
            return log.append(entries);
        };
    }

    /** {@code Event.partitionKey()} of a native exposure envelope: {@code project:user_id}, else {@code project:device_id}. */
    static String partitionKey(RawEnvelope env) {
        String user = env.payload().path("user_id").asText("");
        String unit = user.isEmpty() ? env.payload().path("device_id").asText("") : user;
        return unit.isEmpty() ? null : env.projectId() + ":" + unit;
    }

    static AnalyticsQueries analyticsQueries(ClickHouse clickhouse) {
        return sql -> {
            QueryResult r = clickhouse.query(sql);
            return new AnalyticsQueries.Rows(r.columns(), r.rows());
        };
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LoggerFactory.getLogger(AbtestWiring.class).warn("error while closing {}", c, e);
        }
    }

    public Abtest abtest() {
        return abtest;
    }

    /** The A/B testing routes, to add to the node's route concatenation. */
    public Route routes() {
        return abtest.routes();
    }

    @Override
    public void close() {
        abtest.close();
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                LoggerFactory.getLogger(AbtestWiring.class).warn("error while closing {}", owned.get(i), e);
            }
        }
    }
}
