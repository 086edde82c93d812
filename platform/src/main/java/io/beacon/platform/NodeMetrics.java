package io.beacon.platform;

import io.beacon.gateway.KafkaEventLog;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The node's one Prometheus registry, served at {@code GET /metrics} whatever the node's roles, in the text format
 * 0.0.4: the JVM's metrics, and the engine's, the connectors', the gateway's and the data-quality collector's where those run. The
 * collectors read the roles' own counters at each scrape.
 */
final class NodeMetrics {
    private static final ContentType PROMETHEUS_TEXT = ContentTypes.parse(PrometheusTextFormatWriter.CONTENT_TYPE);

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    /** The JVM's metrics and {@code collectors}. */
    NodeMetrics(List<MultiCollector> collectors) {
        JvmMetrics.builder().register(registry);
        collectors.forEach(registry::register);
    }

    /** The metrics of the roles that run here: each argument is {@code null} when its role does not. */
    static NodeMetrics of(EngineWiring engine, ConnectorsWiring connectors, KafkaEventLog gatewayLog, DqWiring dq) {
        List<MultiCollector> collectors = new ArrayList<>();
        if (dq != null) {
            collectors.add(dq.metrics());
        }
        if (engine != null) {
            collectors.add(engine.engine().metrics().collector(engine.engine().settings().nodeId()));
        }
        if (connectors != null) {
            collectors.add(connectors.connectors().metrics());
        }
        if (gatewayLog != null) {
            collectors.add(gatewayLog.metrics());
        }
        return new NodeMetrics(collectors);
    }

    /** A scrape, written in the Prometheus text format. */
    String text() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** {@code GET /metrics}. */
    Route route() {
        return Directives.path("metrics", () -> Directives.get(() -> Directives.complete(HttpResponse.create()
                .withEntity(HttpEntities.create(PROMETHEUS_TEXT, text().getBytes(StandardCharsets.UTF_8))))));
    }
}
