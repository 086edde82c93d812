package io.beacon.loadtest.bench;

import io.beacon.devstack.BeaconStack;
import io.beacon.gateway.GatewaySettings;
import io.beacon.loadtest.load.LoadGenerator;
import io.beacon.loadtest.load.LoadReport;
import io.beacon.loadtest.load.LoadSettings;
import io.beacon.loadtest.load.SegmentBatches;
import io.beacon.loadtest.node.NodeConfig;
import io.beacon.platform.BeaconNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * (a) Gateway throughput: simulator events posted to {@code /v1/batch} flat out (100 events per
 * request, 8 requests in flight) against a node running only the gateway role, versus Kafka's
 * {@code ProducerPerformance} writing the same envelopes (same bytes, random keys) with the
 * gateway's producer settings to a topic with the same partitions.
 */
final class GatewayBench {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayBench.class);
    static final int BATCH = 100;
    /** Requests in flight; {@code -Dbeacon.bench.gateway-connections=N} overrides. */
    static final int CONCURRENCY = Integer.getInteger("beacon.bench.gateway-connections", 8);

    record Result(LoadReport warmup, LoadReport report, ProducerPerformanceBaseline.Result baseline, double recordBytes,
                  JfrProfile.Summary profile) {
    }

    private GatewayBench() {
    }

    static Result run(BeaconStack stack, Scale scale, Path work) throws Exception {
        List<String> items = BenchData.items(101, scale.gatewayItems());
        NodeConfig nc = NodeConfig.of("bench_gw", "gateway", stack.kafka().bootstrapServers(), stack.clickhouse().httpUrl());
        LoadReport warm;
        LoadReport measured;
        JfrProfile.Summary profile;
        try (BeaconNode node = BeaconNode.start(nc.config())) {
            node.awaitReady(Duration.ofSeconds(60));
            LoadSettings flatOut = new LoadSettings(URI.create(node.httpUrl()), nc.writeKey(), CONCURRENCY, 0,
                    1_000_000_000L, scale.gatewayWarmup(), Duration.ofSeconds(15));
            warm = new LoadGenerator(flatOut).run(SegmentBatches.cycling(items, BATCH));
            LOG.info("gateway warm-up: {}", warm);
            JfrProfile jfr = JfrProfile.start("gateway", work.resolve("jfr"));
            measured = new LoadGenerator(flatOut.withMaxDuration(scale.gatewayMeasure())).run(SegmentBatches.cycling(items, BATCH));
            profile = jfr.stop();
            LOG.info("gateway: {}", measured);
        }

        // The baseline writes exactly what the gateway wrote: the encoded raw envelopes of the same items.
        List<BenchData.KeyedBytes> raw = BenchData.rawRecords(items.subList(0, Math.min(items.size(), 50_000)), nc.projectId());
        Path payload = work.resolve("producer-perf-payload.txt");
        StringBuilder lines = new StringBuilder();
        for (BenchData.KeyedBytes r : raw) {
            lines.append(new String(r.value(), StandardCharsets.UTF_8)).append('\n');
        }
        Files.writeString(payload, lines);
        String topic = "bench_pp.raw";
        stack.kafka().createTopics(Map.of(topic, 3));
        GatewaySettings.Kafka gw = GatewaySettings.fromConfig(nc.config()).kafka();
        Map<String, String> props = Map.of(
                "acks", "all",
                "enable.idempotence", "true",
                "linger.ms", Long.toString(gw.linger().toMillis()),
                "compression.type", gw.compression());
        ProducerPerformanceBaseline.Result baseline = ProducerPerformanceBaseline.run(stack.kafka().bootstrapServers(), topic,
                payload, scale.producerPerfRecords(), scale.producerPerfRecords() / 5, 20_000, props,
                work.resolve("producer-perf.log"));
        LOG.info("ProducerPerformance: {}", baseline.line());
        return new Result(warm, measured, baseline, BenchData.average(raw), profile);
    }
}
