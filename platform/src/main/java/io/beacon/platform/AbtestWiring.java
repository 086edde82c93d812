package io.beacon.platform;

import com.typesafe.config.Config;
import io.beacon.abtest.Abtest;
import io.beacon.abtest.AbtestSettings;
import io.beacon.abtest.AnalyticsQueries;
import io.beacon.abtest.ExposureSink;
import io.beacon.control.ControlPlane;
import io.beacon.event.EventMapper;
import io.beacon.event.MappingResult;
import io.beacon.event.RawEnvelope;
import io.beacon.gateway.EventLog;
import io.beacon.gateway.GatewaySettings;
import io.beacon.gateway.KafkaEventLog;
import io.beacon.warehouse.WarehouseSettings;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.beacon.warehouse.clickhouse.QueryResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Wires the {@code abtest} module into a node: its two ports get their adapters here —
 * {@link ExposureSink} onto the gateway's {@link EventLog} (exposures enter the raw topic like any
 * collected event, keyed {@code project:distinct_id}) and {@link AnalyticsQueries} onto the warehouse's
 * {@link ClickHouse} client. A node without the gateway or sink role gets its own producer or client,
 * closed with the wiring.
 */
public final class AbtestWiring implements AutoCloseable {
    private final Abtest abtest;
    private final List<AutoCloseable> owned;

    private AbtestWiring(Abtest abtest, List<AutoCloseable> owned) {
        this.abtest = abtest;
        this.owned = owned;
    }

    /**
     * @param eventLog   the node's gateway event log, or {@code null} to create one from the config
     * @param clickhouse the node's ClickHouse client, or {@code null} to create one from the config
     */
    public static AbtestWiring start(Config config, ControlPlane controlPlane, EventLog eventLog, ClickHouse clickhouse) {
        List<AutoCloseable> owned = new ArrayList<>();
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
        Abtest abtest = new Abtest(controlPlane.store(), controlPlane.projects(), exposureSink(log), analyticsQueries(ch),
                AbtestSettings.fromConfig(config));
        return new AbtestWiring(abtest, owned);
    }

    /** Exposure envelopes → event-log entries keyed like the gateway keys them. */
    static ExposureSink exposureSink(EventLog log) {
        return envelopes -> {
            List<EventLog.Entry> entries = new ArrayList<>(envelopes.size());
            for (RawEnvelope env : envelopes) {
                MappingResult mapped = EventMapper.map(env);
                if (!(mapped instanceof MappingResult.Mapped m)) {
                    return CompletableFuture.failedFuture(new IllegalArgumentException("invalid exposure event: " + mapped));
                }
                entries.add(new EventLog.Entry(m.event().partitionKey(), env));
            }
            return log.append(entries);
        };
    }

    static AnalyticsQueries analyticsQueries(ClickHouse clickhouse) {
        return sql -> {
            QueryResult r = clickhouse.query(sql);
            return new AnalyticsQueries.Rows(r.columns(), r.rows());
        };
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
                org.slf4j.LoggerFactory.getLogger(AbtestWiring.class).warn("error while closing {}", owned.get(i), e);
            }
        }
    }
}
