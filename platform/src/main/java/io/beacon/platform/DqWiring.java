package io.beacon.platform;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import io.beacon.control.Versioned;
import io.beacon.control.registry.EventDefinition;
import io.beacon.control.runtime.ControlPlane;
import io.beacon.dq.AlertSink;
import io.beacon.dq.DqAlert;
import io.beacon.dq.DqSettings;
import io.beacon.dq.api.DqRoutes;
import io.beacon.dq.runtime.DataQuality;
import io.beacon.dq.store.DqAlerts;
import io.beacon.event.EventCodec;
import io.beacon.event.RawEnvelope;
import io.beacon.event.WireFormat;
import io.beacon.gateway.EventLog;
import io.beacon.gateway.GatewaySettings;
import io.beacon.gateway.KafkaEventLog;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.prometheus.metrics.model.registry.MultiCollector;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Wires the {@code data-quality} module into a node. With the sink role (and {@code beacon.dq.enabled}) it runs the
 * collector and the checker, whose alerts are {@code $dq_alert} events written through the gateway's event log (the
 * node's, or one of its own, closed with the wiring); every node serves {@code /api/v1/dq/*} from ClickHouse and
 * Kafka.
 */
public final class DqWiring implements AutoCloseable {
    /** The distinct id of the alert events: the alerts of a project are the events of this one "user". */
    static final String ALERT_USER = "beacon-dq";
    private final DataQuality dq;
    private final DqRoutes routes;
    private final KafkaEventLog ownLog;

    private DqWiring(DataQuality dq, DqRoutes routes, KafkaEventLog ownLog) {
        this.dq = dq;
        this.routes = routes;
        this.ownLog = ownLog;
    }

    /**
     * @param collect    run the collector and checker (the node has the sink role)
     * @param clickhouse the client the reads use
     * @param eventLog   the node's gateway event log, or null (one is made when alerts are raised here)
     */
    static DqWiring start(Config config, ControlPlane controlPlane, boolean collect, ClickHouse clickhouse, EventLog eventLog,
                          Executor executor) {
        DqSettings settings = DqSettings.fromConfig(config);
        KafkaEventLog own = null;
        DataQuality dq;
        if (collect && settings.enabled()) {
            EventLog log = eventLog;
            if (log == null) {
                own = new KafkaEventLog(GatewaySettings.fromConfig(config).kafka());
                log = own;
            }
            EventLog alertsLog = log;
            AlertSink sink = a -> alertsLog.append(List.of(new EventLog.Entry(a.projectId() + ":" + ALERT_USER, envelope(a))));
            dq = DataQuality.start(settings, clickhouse, sink, System::currentTimeMillis, registry(controlPlane));
        } else {
            dq = DataQuality.readOnly(settings, clickhouse, System::currentTimeMillis, registry(controlPlane));
        }
        return new DqWiring(dq, new DqRoutes(dq, new DqAlerts(clickhouse), controlPlane.projects()::bySecretKey, executor), own);
    }

    /** The registered event definitions of a project, as the monitors read them. */
    private static Function<String, List<EventDefinition>> registry(ControlPlane controlPlane) {
        return project -> controlPlane.registry().events(project).stream().map(Versioned::value).toList();
    }

    /** The {@code $dq_alert} event of an alert (native format, its id derived from what it is about). */
    static RawEnvelope envelope(DqAlert a) {
        long now = System.currentTimeMillis();
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("event_name", DqAlert.EVENT_NAME);
        p.put("event_id", a.eventId());
        p.put("user_id", ALERT_USER);
        p.put("event_time", now);
        p.put("library_name", "beacon-dq");
        p.set("properties", EventCodec.mapper().valueToTree(DqAlerts.properties(a)));
        return new RawEnvelope(a.projectId(), a.eventId(), now, null, null, WireFormat.NATIVE, p);
    }

    public DataQuality dataQuality() {
        return dq;
    }

    /** The collector's figures for the node's registry. */
    public MultiCollector metrics() {
        return dq.metrics();
    }

    public Route routes() {
        return routes.routes();
    }

    /** "ok", or why the collector stopped. */
    public String readiness() {
        return dq.readiness();
    }

    @Override
    public void close() {
        dq.close();
        if (ownLog != null) {
            ownLog.close();
        }
    }
}
