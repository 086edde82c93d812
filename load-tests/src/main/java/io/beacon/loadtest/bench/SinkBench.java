package io.beacon.loadtest.bench;

import io.beacon.devstack.BeaconStack;
import io.beacon.event.EventCodec;
import io.beacon.loadtest.node.NodeConfig;
import io.beacon.streams.runtime.EventTopics;
import io.beacon.streams.runtime.TopologySettings;
import io.beacon.warehouse.ClickHouseSettings;
import io.beacon.warehouse.WarehouseSettings;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.beacon.warehouse.schema.Migrations;
import io.beacon.warehouse.sink.EventRows;
import io.beacon.warehouse.sink.TopicTableSink;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * (c) Sink throughput: Beacon's {@link TopicTableSink} copying a valid topic pre-filled with the topology's
 * output for simulator events into a fresh {@code events} table, versus {@code clickhouse-client}
 * inserting the very same rows (what {@link EventRows} makes of those events) from a JSONEachRow file
 * into an identical table over the native protocol.
 */
final class SinkBench {
    private static final Logger LOG = LoggerFactory.getLogger(SinkBench.class);

    record Result(long rows, GroupProgress.Outcome sink, long clientMillis, long clientRows, long sinkRowsInTable,
                  double rowBytes, JfrProfile.Summary profile) {
        double clientRowsPerSecond() {
            return clientMillis <= 0 ? 0 : clientRows * 1000.0 / clientMillis;
        }
    }

    private SinkBench() {
    }

    static Result run(BeaconStack stack, Scale scale, Path work) throws Exception {
        String bootstrap = stack.kafka().bootstrapServers();
        String url = stack.clickhouse().httpUrl();
        NodeConfig nc = NodeConfig.of("bench_sink", "sink", bootstrap, url);
        TopologySettings ts = TopologySettings.fromConfig(nc.config());
        EventTopics.createIfMissing(ts);
        List<BenchData.KeyedBytes> valid = BenchData.validRecords(BenchData.items(303, scale.sinkRows()), nc.projectId());
        BenchData.produce(bootstrap, ts.topics().valid(), valid);
        long total = valid.size();

        // The baseline's input: the same events as rows, one JSON object per line.
        Path rowsFile = work.resolve("sink-rows.jsonl");
        long now = System.currentTimeMillis();
        long rowChars = 0;
        try (BufferedWriter w = Files.newBufferedWriter(rowsFile, StandardCharsets.UTF_8)) {
            for (BenchData.KeyedBytes r : valid) {
                String row = EventRows.toJson(EventCodec.decodeEvent(r.value()), now);
                rowChars += row.length() + 1;
                w.write(row);
                w.write('\n');
            }
        }
        valid = null; // let the prefill go before measuring

        WarehouseSettings ws = WarehouseSettings.fromConfig(nc.config());
        GroupProgress.Outcome outcome;
        long inTable;
        JfrProfile.Summary profile;
        try (ClickHouse ch = ClickHouse.connect(ws.clickhouse())) {
            new Migrations(ch).apply();
            JfrProfile jfr = JfrProfile.start("sink", work.resolve("jfr"));
            long t0 = System.nanoTime();
            TopicTableSink sink = new TopicTableSink(ws, ch);
            try {
                sink.start();
                outcome = GroupProgress.await(() -> sink.stats().rowsWritten(), total, t0, Duration.ofMinutes(5));
            } finally {
                sink.close();
            }
            profile = jfr.stop();
            inTable = ch.queryLong("SELECT count() FROM events");
        }
        LOG.info("TopicTableSink: {} ({} rows/s), {} rows in the table", outcome, Math.round(outcome.perSecond()), inTable);

        // Baseline: clickhouse-client over the native TCP protocol into an identical, freshly migrated table.
        String baselineDb = "bench_chclient";
        long clientMillis;
        long clientRows;
        try (ClickHouse base = ClickHouse.connect(ClickHouseSettings.of(url, baselineDb))) {
            new Migrations(base).apply();
            Path log = work.resolve("clickhouse-client.log");
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder("clickhouse-client", "--host", "127.0.0.1",
                    "--port", Integer.toString(stack.clickhouse().tcpPort()),
                    "--query", "INSERT INTO " + baselineDb + ".events FORMAT JSONEachRow")
                    .redirectInput(rowsFile.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("clickhouse-client insert failed: " + Files.readString(log));
            }
            clientMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            clientRows = base.queryLong("SELECT count() FROM events");
        }
        LOG.info("clickhouse-client: {} rows in {} ms ({} rows/s)", clientRows, clientMillis,
                clientMillis == 0 ? 0 : clientRows * 1000 / clientMillis);
        return new Result(total, outcome, clientMillis, clientRows, inTable, (double) rowChars / total, profile);
    }
}
