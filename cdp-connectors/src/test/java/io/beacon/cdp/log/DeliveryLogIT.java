package io.beacon.cdp.log;

import static io.beacon.cdp.log.DeliveryLogFixtures.HOSTILE_DESTINATION;
import static io.beacon.cdp.log.DeliveryLogFixtures.NOW;
import static io.beacon.cdp.log.DeliveryLogFixtures.PROJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.event.RefusedException;
import io.beacon.event.cdp.DeliveryAttempt;
import io.beacon.event.cdp.DeliveryAttempt.Outcome;
import io.beacon.warehouse.clickhouse.ClickHouse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link DeliveryLog} on a real ClickHouse (18.16, and 26.x with {@code -Dbeacon.test.clickhouse-engine=chdb}). */
@ExtendWith(BeaconStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeliveryLogIT {
    private static final long HOUR = 3_600_000L;
    private static final double EXACT = 1e-6;

    private ClickHouse clickhouse;
    private DeliveryLog log;

    @BeforeAll
    void start(TestStack stack) {
        clickhouse = DeliveryLogFixtures.database(stack, "dlog");
        DeliveryLogFixtures.insert(clickhouse);
        log = new DeliveryLog(clickhouse, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterAll
    void stop() {
        clickhouse.close();
    }

    @Test
    void shouldCountADestinationsAttemptsOutcomesAndLatencyOverTheWindowOnceDespiteAReplay() {
        DeliveryStats s = log.stats(PROJECT, "dst_a", Duration.ofHours(24));

        assertEquals(10, clickhouse.queryLong("SELECT count() FROM deliveries FINAL"), "each attempt once, though inserted twice");
        assertEquals("dst_a", s.destinationId());
        assertEquals(6, s.attempts());
        assertEquals(4, s.messages());
        assertEquals(2, s.delivered());
        assertEquals(new DeliveryStats.Failures(2, 1, 1), s.failed());
        assertEquals(0.5, s.successRate().getAsDouble(), EXACT);
        // latencies 10, 20, 30, 40, 100, 15000 interpolated at 0.5·5, 0.95·5, 0.99·5
        DeliveryStats.Latency l = s.latencyMs().orElseThrow();
        assertEquals(35, l.p50(), EXACT);
        assertEquals(11_275, l.p95(), EXACT);
        assertEquals(14_255, l.p99(), EXACT);
        assertEquals(OptionalLong.of(NOW.toEpochMilli() - 10 * 60_000L), s.lastAttemptAtMs());
    }

    @Test
    void shouldIncludeTheAttemptAtTheWindowsStartAndLeaveOutOlderOnes() {
        DeliveryStats s = log.stats(PROJECT, "dst_a", Duration.ofHours(1));

        assertEquals(2, s.attempts());
        assertEquals(2, s.messages());
        assertEquals(0, s.delivered());
        assertEquals(new DeliveryStats.Failures(1, 0, 1), s.failed());
        assertEquals(0.0, s.successRate().getAsDouble(), EXACT);
        assertEquals(7, log.stats(PROJECT, "dst_a", Duration.ofDays(2)).attempts());
    }

    @Test
    void shouldAnswerEveryDestinationOfTheProjectInOneListOrderedById() {
        List<DeliveryStats> all = log.statsOfAll(PROJECT, Duration.ofHours(24));

        assertEquals(List.of(HOSTILE_DESTINATION, "dst_a", "dst_b"), all.stream().map(DeliveryStats::destinationId).toList());
        assertEquals(log.stats(PROJECT, "dst_a", Duration.ofHours(24)), all.get(1));
        DeliveryStats b = all.get(2);
        assertEquals(1, b.attempts());
        assertEquals(1, b.delivered());
        assertEquals(OptionalDouble.of(1.0), b.successRate());
        assertEquals(new DeliveryStats.Latency(50, 50, 50), b.latencyMs().orElseThrow());
        assertEquals(1, log.statsOfAll("other", Duration.ofHours(24)).size(), "another project's destinations stay apart");
        assertEquals(1, log.statsOfAll("other", Duration.ofHours(24)).get(0).attempts());
    }

    @Test
    void shouldAnswerNothingForADestinationWithoutAttempts() {
        assertEquals(DeliveryStats.none("dst_none"), log.stats(PROJECT, "dst_none", Duration.ofHours(24)));
        assertEquals(OptionalDouble.empty(), DeliveryStats.none("x").successRate());
        assertEquals(List.of(), log.statsOfAll("nobody", Duration.ofHours(24)));
        assertEquals(List.of(), log.recentAttempts(PROJECT, "dst_none", 10, Optional.empty()));
    }

    @Test
    void shouldTreatQuotesAndBackslashesInIdsAsText() {
        DeliveryStats hostile = log.stats(PROJECT, HOSTILE_DESTINATION, Duration.ofHours(24));
        assertEquals(1, hostile.attempts());
        assertEquals(new DeliveryStats.Latency(7, 7, 7), hostile.latencyMs().orElseThrow());
        assertEquals(DeliveryStats.none("dst_a' OR '1'='1"), log.stats(PROJECT, "dst_a' OR '1'='1", Duration.ofHours(24)));
        assertEquals(List.of(), log.recentAttempts(PROJECT, "dst_a", 10, Optional.of("x' OR 1=1 OR message_id = '")));
        assertEquals(List.of(), log.statsOfAll("shop\\' OR 1=1 --", Duration.ofHours(24)));
        assertEquals("msg_h", log.recentAttempts(PROJECT, HOSTILE_DESTINATION, 10, Optional.empty()).get(0).messageId());
    }

    @Test
    void shouldListADestinationsAttemptsNewestFirstWithEveryValueAsProduced() {
        List<DeliveryAttempt> recent = log.recentAttempts(PROJECT, "dst_a", 50, Optional.empty());

        assertEquals(List.of("msg_4#1", "msg_3#2", "msg_3#1", "msg_2#1", "msg_1#2", "msg_1#1", "msg_old#1"),
                recent.stream().map(a -> a.messageId() + "#" + a.attempt()).toList());
        assertEquals(new DeliveryAttempt(PROJECT, "dst_a", "u_msg_1", "msg_1", "segment.entered", 1, NOW.toEpochMilli() - 5 * HOUR,
                500, Outcome.RETRY, 100, "HTTP 500\tInternal\nError", "{\"e\":\"boom ✗\"}"), recent.get(5));
        assertEquals(new DeliveryAttempt(PROJECT, "dst_a", "u_msg_2", "msg_2", "segment.entered", 1, NOW.toEpochMilli() - 3 * HOUR,
                204, Outcome.DELIVERED, 30, null, null), recent.get(3));
        assertEquals(List.of("msg_4#1", "msg_3#2"), log.recentAttempts(PROJECT, "dst_a", 2, Optional.empty()).stream()
                .map(a -> a.messageId() + "#" + a.attempt()).toList());
        assertEquals(List.of(2, 1), log.recentAttempts(PROJECT, "dst_a", 50, Optional.of("msg_1")).stream()
                .map(DeliveryAttempt::attempt).toList());
        assertEquals(Outcome.DEAD_LETTERED, log.recentAttempts(PROJECT, "dst_a", 1, Optional.of("msg_3")).get(0).outcome());
    }

    @Test
    void shouldRefuseAnOutOfRangeLimitOrWindowOrAnEmptyIdNamingTheField() {
        assertEquals("limit", assertThrows(RefusedException.class,
                () -> log.recentAttempts(PROJECT, "dst_a", 0, Optional.empty())).field());
        assertEquals("limit", assertThrows(RefusedException.class,
                () -> log.recentAttempts(PROJECT, "dst_a", DeliveryLog.MAX_LIMIT + 1, Optional.empty())).field());
        assertEquals("window", assertThrows(RefusedException.class,
                () -> log.stats(PROJECT, "dst_a", Duration.ofSeconds(30))).field());
        assertEquals("window", assertThrows(RefusedException.class,
                () -> log.statsOfAll(PROJECT, Duration.ofDays(367))).field());
        assertEquals("destination_id", assertThrows(RefusedException.class,
                () -> log.stats(PROJECT, "", Duration.ofHours(1))).field());
        RefusedException control = assertThrows(RefusedException.class,
                () -> log.recentAttempts(PROJECT, "dst_a", 5, Optional.of("a\u0000b")));
        assertEquals("message_id", control.field());
        assertTrue(control.getMessage().contains("control characters"), control.getMessage());
    }
}
