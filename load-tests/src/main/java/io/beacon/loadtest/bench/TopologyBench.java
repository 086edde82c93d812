package io.beacon.loadtest.bench;

import io.beacon.devstack.BeaconStack;
import io.beacon.loadtest.node.NodeConfig;
import io.beacon.streams.runtime.EventPipeline;
import io.beacon.streams.runtime.EventTopics;
import io.beacon.streams.runtime.TopologySettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * (b) Topology throughput: Beacon's {@link EventPipeline} working through a raw topic pre-filled with
 * what the gateway writes for simulator events, versus a pass-through Streams app (same guarantee,
 * threads and commit interval) over the very same input. Progress is the app's committed input offsets.
 */
final class TopologyBench {
    private static final Logger LOG = LoggerFactory.getLogger(TopologyBench.class);

    record Result(long records, double recordBytes, GroupProgress.Outcome beacon, GroupProgress.Outcome passThrough,
                  JfrProfile.Summary profile) {
    }

    private TopologyBench() {
    }

    static Result run(BeaconStack stack, Scale scale, Path work) throws Exception {
        String bootstrap = stack.kafka().bootstrapServers();
        NodeConfig nc = NodeConfig.of("bench_topo", "streams", bootstrap, stack.clickhouse().httpUrl());
        TopologySettings ts = TopologySettings.fromConfig(nc.config());
        EventTopics.createIfMissing(ts);
        List<BenchData.KeyedBytes> raw = BenchData.rawRecords(BenchData.items(202, scale.pipelineRecords()), nc.projectId());
        BenchData.produce(bootstrap, ts.topics().raw(), raw);
        long total = raw.size();
        double recordBytes = BenchData.average(raw);
        LOG.info("topology input: {} raw records of {} bytes on average", total, Math.round(recordBytes));
        String passOut = "bench_topo.passthrough";
        stack.kafka().createTopics(Map.of(passOut, ts.topicPartitions()));
        raw = null; // let the prefill go before measuring

        try (Admin admin = stack.kafka().admin()) {
            GroupProgress.endOffsets(admin, passOut, ts.topicPartitions()); // leaders serve the new topic

            JfrProfile jfr = JfrProfile.start("topology", work.resolve("jfr"));
            long t0 = System.nanoTime();
            GroupProgress.Outcome beacon;
            try (EventPipeline pipeline = new EventPipeline(ts)) {
                pipeline.start();
                beacon = GroupProgress.await(() -> GroupProgress.committed(admin, ts.applicationId(), ts.topics().raw()),
                        total, t0, Duration.ofMinutes(5));
            }
            JfrProfile.Summary profile = jfr.stop();
            LOG.info("EventPipeline: {} ({} records/s)", beacon, Math.round(beacon.perSecond()));

            Path stateDir = Files.createTempDirectory(work, "passthrough-state");
            KafkaStreams pass = PassThroughStreams.create("bench-passthrough", bootstrap, ts.topics().raw(), passOut,
                    ts.numStreamThreads(), ts.commitInterval().toMillis(), stateDir);
            t0 = System.nanoTime();
            GroupProgress.Outcome base;
            try {
                pass.start();
                base = GroupProgress.await(() -> GroupProgress.committed(admin, "bench-passthrough", ts.topics().raw()),
                        total, t0, Duration.ofMinutes(5));
            } finally {
                pass.close(Duration.ofSeconds(30));
            }
            LOG.info("pass-through: {} ({} records/s)", base, Math.round(base.perSecond()));
            return new Result(total, recordBytes, beacon, base, profile);
        }
    }
}
