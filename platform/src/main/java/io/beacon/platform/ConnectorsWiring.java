package io.beacon.platform;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import io.beacon.cdp.CdpSettings;
import io.beacon.cdp.delivery.DestinationHealth;
import io.beacon.cdp.outbox.StatusAnnouncer;
import io.beacon.cdp.runtime.Connectors;
import io.beacon.control.ControlPlaneSettings;
import io.beacon.control.runtime.ControlPlane;
import io.beacon.engine.runtime.Engine;
import io.beacon.event.RawEnvelope;
import io.beacon.event.WireFormat;
import io.beacon.event.cdp.IdempotencyKeys;
import io.beacon.gateway.EventLog;
import io.beacon.gateway.GatewaySettings;
import io.beacon.gateway.KafkaEventLog;
import io.beacon.warehouse.WarehouseSettings;
import io.beacon.warehouse.clickhouse.ClickHouse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the {@code cdp-connectors} module into a node (role {@code connectors}): destinations from the control
 * plane, the delivery log read from the node's ClickHouse, and a destination's state changes announced as an event
 * in Beacon ({@value #STATUS_EVENT}, through the gateway's event log into the raw topic like any collected event)
 * besides the connectors' own log line, metric and alert destination.
 */
public final class ConnectorsWiring implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorsWiring.class);
    /** The event a destination's state change becomes, with {@code destination_id}, {@code from}, {@code to}, {@code reason}. */
    static final String STATUS_EVENT = "$destination_status_changed";

    private final Connectors connectors;
    private final List<AutoCloseable> owned;

    private ConnectorsWiring(Connectors connectors, List<AutoCloseable> owned) {
        this.connectors = connectors;
        this.owned = owned;
    }

    /**
     * @param eventLog   the node's gateway event log ({@code null}: the wiring makes its own)
     * @param clickhouse the node's ClickHouse client ({@code null}: the wiring connects its own)
     * @param engine     the node's actor engine, whose segment members a full resync reads ({@code null}: no engine
     *                   here, resyncs answer 503 {@code ENGINE_UNAVAILABLE})
     */
    public static ConnectorsWiring start(Config config, ControlPlane controlPlane, EventLog eventLog, ClickHouse clickhouse,
                                         String nodeId, Engine engine) {
        List<AutoCloseable> owned = new ArrayList<>();
        try {
            EventLog log = eventLog;
            if (log == null) {
                KafkaEventLog own = new KafkaEventLog(GatewaySettings.fromConfig(config).kafka());
                owned.add(own);
                log = own;
            }
            ClickHouse ch = clickhouse;
            if (ch == null) {
                ch = ClickHouse.connect(WarehouseSettings.fromConfig(config).clickhouse());
                owned.add(ch);
            }
            Connectors.Wiring w = new Connectors.Wiring(controlPlane.store(), controlPlane.projects(), controlPlane.destinations(),
                    controlPlane.segments(), ControlPlaneSettings.fromConfig(config), ch, statusEvents(log), nodeId,
                    engine == null ? null : new EngineAudienceMembers(engine, Duration.ofSeconds(5)));
            Connectors connectors = Connectors.start(CdpSettings.fromConfig(config), w);
            return new ConnectorsWiring(connectors, owned);
        } catch (RuntimeException e) {
            owned.forEach(ConnectorsWiring::closeQuietly);
            throw e;
        }
    }

    /** A destination's state change as a native event of its project, person {@code beacon-destination:<id>}. */
    static StatusAnnouncer statusEvents(EventLog log) {
        return (project, destination, change) -> {
            RawEnvelope env = statusEnvelope(project, destination, change);
            log.append(List.of(new EventLog.Entry(project + ":" + env.payload().path("user_id").asText(), env)))
                    .whenComplete((x, e) -> {
                        if (e != null) {
                            LOG.warn("the {} event of destination {} was not written: {}", STATUS_EVENT, destination, e.getMessage());
                        }
                    });
        };
    }

    static RawEnvelope statusEnvelope(String project, String destination, DestinationHealth.StatusChange change) {
        String id = IdempotencyKeys.of("status-event", destination, project, change.to().name(), Long.toString(change.atMs()));
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("event_name", STATUS_EVENT);
        p.put("event_id", id);
        p.put("user_id", "beacon-destination:" + destination);
        p.put("event_time", change.atMs());
        p.put("library_name", "beacon-connectors");
        ObjectNode props = p.putObject("properties");
        props.put("destination_id", destination);
        props.put("from", change.from().name().toLowerCase(Locale.ROOT));
        props.put("to", change.to().name().toLowerCase(Locale.ROOT));
        props.put("reason", change.reason());
        return new RawEnvelope(project, id, change.atMs(), null, null, WireFormat.NATIVE, p);
    }

    public Connectors connectors() {
        return connectors;
    }

    /** {@code /api/v1/destinations/{id}/test|stats|attempts}, {@code /api/v1/cdp/*} (before the destination CRUD). */
    public Route routes() {
        return connectors.routes();
    }

    public String readiness() {
        return connectors.readiness();
    }

    @Override
    public void close() {
        connectors.close();
        for (int i = owned.size() - 1; i >= 0; i--) {
            closeQuietly(owned.get(i));
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("close failed", e);
        }
    }
}
