package io.beacon.loadtest.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.loadtest.node.NodeConfig;
import io.beacon.loadtest.sim.BehaviourSimulator;
import io.beacon.loadtest.sim.GroundTruth;
import io.beacon.loadtest.sim.SimulatorSettings;
import io.beacon.platform.BeaconNode;
import io.beacon.warehouse.ClickHouseSettings;
import io.beacon.warehouse.clickhouse.ClickHouse;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The generator at tiny scale against a real node (gateway, topology and sink on the shared test
 * stack): every simulated event is acknowledged and lands in ClickHouse exactly as the simulator's
 * ground truth says. Not a benchmark: nothing here is timed.
 */
@ExtendWith(BeaconStackExtension.class)
class LoadGeneratorSmokeIT {

    @Test
    void shouldDeliverEverySimulatedEventToClickHouseAsTheGroundTruthSays(TestStack stack) throws Exception {
        NodeConfig node = NodeConfig.of(stack.uniqueName("loadsmoke"), "all", stack.bootstrapServers(), stack.clickhouseHttpUrl());
        // Given ~2,000 simulated events and their ground truth
        BehaviourSimulator sim = new BehaviourSimulator(SimulatorSettings.of(5, 110));
        GroundTruth truth = sim.groundTruth();
        assertTrue(truth.events() > 1_500 && truth.events() < 3_000, "about 2,000 events: " + truth.events());

        try (BeaconNode beacon = BeaconNode.start(node.config());
             ClickHouse ch = ClickHouse.connect(ClickHouseSettings.of(stack.clickhouseHttpUrl(), node.database()))) {
            beacon.awaitReady(Duration.ofSeconds(60));
            // When the generator sends them in batches of 100, 4 in flight
            LoadSettings settings = LoadSettings.flatOut(URI.create(beacon.httpUrl()), node.writeKey(), 10_000)
                    .withMaxDuration(Duration.ofSeconds(60));
            LoadReport report = new LoadGenerator(settings).run(SegmentBatches.from(sim.events().iterator(), 100));

            // Then every event was acknowledged
            assertEquals(truth.events(), report.eventsSent(), report.toString());
            assertEquals(truth.events(), report.eventsAccepted(), report.toString());
            assertEquals(0, report.failedRequests(), report.toString());
            // and ClickHouse holds exactly them, with the simulator's counts per event name
            long stored = awaitCount(ch, "SELECT count() FROM events FINAL", truth.events(), Duration.ofSeconds(60));
            assertEquals(truth.events(), stored);
            Map<String, Long> byName = new TreeMap<>();
            ch.query("SELECT event_name, count() AS n FROM events FINAL GROUP BY event_name").asMaps()
                    .forEach(row -> byName.put(row.get("event_name"), Long.parseLong(row.get("n"))));
            assertEquals(truth.countsByName(), byName);
            // and the purchases add up to the simulated revenue
            assertEquals(truth.purchasers(), ch.queryLong("SELECT uniqExact(device_id) FROM events FINAL WHERE event_name = 'Order Completed'"));
            assertEquals(truth.revenueCents(), ch.queryLong("SELECT toInt64(round(sum(toFloat64(properties.value[indexOf(properties.key, 'revenue')])) * 100))"
                    + " FROM events FINAL WHERE event_name = 'Order Completed'"));
        }
    }

    private static long awaitCount(ClickHouse ch, String sql, long expected, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        long last = -1;
        while (System.nanoTime() < end) {
            try {
                last = ch.queryLong(sql);
            } catch (RuntimeException e) {
                last = -1; // table not migrated yet
            }
            if (last == expected) {
                return last;
            }
            Thread.sleep(200); // poll interval
        }
        return last;
    }
}
