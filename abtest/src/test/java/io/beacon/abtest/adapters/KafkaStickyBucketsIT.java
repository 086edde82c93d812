package io.beacon.abtest.adapters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.abtest.assignment.StickyBucketDoc;
import io.beacon.control.store.ConfigStoreSettings;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The sticky-bucket topic on the real broker: local read-your-writes, restart recovery, two nodes converging. */
@ExtendWith(BeaconStackExtension.class)
class KafkaStickyBucketsIT {
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private static KafkaStickyBuckets open(TestStack stack, String prefix) {
        return new KafkaStickyBuckets(ConfigStoreSettings.of(stack.bootstrapServers(), "unused"), prefix).start();
    }

    private static Map<String, String> assignments(KafkaStickyBuckets store, String unit) {
        return store.get("p1", "user_id", unit).map(StickyBucketDoc::assignments).orElse(Map.of());
    }

    @Test
    void shouldKeepEveryUnitsAssignmentsAcrossARestart(TestStack stack) throws Exception {
        String prefix = stack.uniqueName("sticky") + ".";
        Map<String, Map<String, String>> expected = new HashMap<>();
        try (KafkaStickyBuckets store = open(stack, prefix)) {
            assertEquals(prefix + "beacon.sticky-buckets", store.topic());
            CompletableFuture<?>[] acks = new CompletableFuture<?>[600];
            for (int i = 0; i < 300; i++) {
                String unit = "u" + i;
                // two experiments saved separately, as two requests would: the unit's document must end up with both
                acks[2 * i] = store.save("p1", new StickyBucketDoc("user_id", unit, Map.of("exp-a__0", i % 2 == 0 ? "on" : "off")))
                        .toCompletableFuture();
                acks[2 * i + 1] = store.save("p1", new StickyBucketDoc("user_id", unit, Map.of("exp-b__0", "v" + (i % 3))))
                        .toCompletableFuture();
                expected.put(unit, Map.of("exp-a__0", i % 2 == 0 ? "on" : "off", "exp-b__0", "v" + (i % 3)));
                // read-your-writes on this node, before Kafka acknowledged anything
                assertEquals(expected.get(unit), assignments(store, unit));
            }
            CompletableFuture.allOf(acks).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            assertEquals(300, store.size());
            assertEquals(Optional.empty(), store.get("p2", "user_id", "u1")); // projects are separate
        }
        // a node started afterwards (a restart) has every unit before it answers
        try (KafkaStickyBuckets restarted = open(stack, prefix)) {
            assertEquals(300, restarted.size());
            for (Map.Entry<String, Map<String, String>> e : expected.entrySet()) {
                assertEquals(e.getValue(), assignments(restarted, e.getKey()), e.getKey());
            }
        }
    }

    @Test
    void shouldShowOneNodesAssignmentsOnAnother(TestStack stack) throws Exception {
        String prefix = stack.uniqueName("sticky2") + ".";
        try (KafkaStickyBuckets a = open(stack, prefix); KafkaStickyBuckets b = open(stack, prefix)) {
            a.save("p1", new StickyBucketDoc("user_id", "alice", Map.of("exp__1", "green"))).toCompletableFuture()
                    .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            b.save("p1", new StickyBucketDoc("user_id", "alice", Map.of("other__0", "x"))).toCompletableFuture()
                    .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            Map<String, String> both = Map.of("exp__1", "green", "other__0", "x");
            for (KafkaStickyBuckets node : List.of(a, b)) {
                long end = System.nanoTime() + DEADLINE.toNanos();
                while (!assignments(node, "alice").equals(both) && System.nanoTime() < end) {
                    Thread.sleep(20); // poll interval while the view reads the other node's record
                }
                assertEquals(both, assignments(node, "alice"));
            }
            assertTrue(a.written() >= 1 && b.written() >= 1);
            assertEquals(0, a.dropped() + b.dropped() + a.failed() + b.failed());
        }
    }
}
