package io.beacon.cdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CdpSettingsTest {

    /** {@code hocon} over the reference.conf files, resolved together as {@code ConfigFactory.load()} does. */
    private static CdpSettings with(String hocon) {
        Config config = ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReferenceUnresolved()).resolve();
        return CdpSettings.fromConfig(config);
    }

    /** The reference.conf files with {@code env} as root keys, which their ${?ENV} substitutions find first. */
    private static CdpSettings withEnvironment(Map<String, String> env) {
        return CdpSettings.fromConfig(ConfigFactory.parseMap(env).withFallback(ConfigFactory.defaultReferenceUnresolved()).resolve());
    }

    @Test
    void shouldDefaultEveryKeyFromReferenceConf() {
        CdpSettings s = CdpSettings.fromConfig(ConfigFactory.defaultReference());

        assertEquals(List.of(Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30),
                Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10)), s.retrySchedule());
        assertEquals(0.2, s.retryJitter());
        assertEquals(1.0, s.retryTimeScale());
        assertEquals(Duration.ofSeconds(15), s.requestTimeout());
        assertEquals(5, s.circuitFailureThreshold());
        assertEquals(Duration.ofSeconds(30), s.circuitOpenFor());
        assertEquals(Duration.ofMinutes(10), s.circuitMaxOpenFor());
        assertEquals(Duration.ofDays(5), s.disableAfter());
        assertFalse(s.allowPrivateAddresses());
        assertEquals(6, s.partitions());
        assertEquals(10_000, s.maxPendingPerPartition());
        assertEquals(Optional.empty(), s.alertDestinationId());
        assertEquals("127.0.0.1:9092", s.bootstrapServers());
        assertEquals("beacon.cdp.outbox", s.topics().cdpOutbox());
    }

    @Test
    void shouldReadOverriddenValues() {
        CdpSettings s = with("""
                beacon.kafka.bootstrap-servers = "k1:9092,k2:9092"
                beacon.kafka.topic-prefix = "it42."
                beacon.cdp.retry.schedule = [1s, 2s]
                beacon.cdp.retry.jitter = 0
                beacon.cdp.retry.time-scale = 0.001
                beacon.cdp.request-timeout = 2s
                beacon.cdp.circuit { failure-threshold = 3, open-for = 1s, max-open-for = 4s }
                beacon.cdp.disable-after = 1h
                beacon.cdp.allow-private-addresses = on
                beacon.cdp.partitions = 2
                beacon.cdp.max-pending-per-partition = 50
                beacon.cdp.alert-destination = "ops-alerts"
                """);

        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), s.retrySchedule());
        assertEquals(0.0, s.retryJitter());
        assertEquals(0.001, s.retryTimeScale());
        assertEquals(Duration.ofSeconds(2), s.requestTimeout());
        assertEquals(3, s.circuitFailureThreshold());
        assertEquals(Duration.ofSeconds(1), s.circuitOpenFor());
        assertEquals(Duration.ofSeconds(4), s.circuitMaxOpenFor());
        assertEquals(Duration.ofHours(1), s.disableAfter());
        assertTrue(s.allowPrivateAddresses());
        assertEquals(2, s.partitions());
        assertEquals(50, s.maxPendingPerPartition());
        assertEquals(Optional.of("ops-alerts"), s.alertDestinationId());
        assertEquals("k1:9092,k2:9092", s.bootstrapServers());
        assertEquals("it42.beacon.cdp.retry", s.topics().cdpRetry());
    }

    @Test
    void shouldLetTheEnvironmentAllowPrivateAddressesAndScaleTime() {
        assertFalse(withEnvironment(Map.of()).allowPrivateAddresses());

        CdpSettings s = withEnvironment(Map.of("BEACON_CDP_ALLOW_PRIVATE_ADDRESSES", "true",
                "BEACON_CDP_RETRY_TIME_SCALE", "0.001", "BEACON_KAFKA_BOOTSTRAP_SERVERS", "kafka:29092"));

        assertTrue(s.allowPrivateAddresses());
        assertEquals(0.001, s.retryTimeScale());
        assertEquals("kafka:29092", s.bootstrapServers());
    }

    @Test
    void shouldFollowTheControlPlanesPrivateAddressPolicyUnlessOverridden() {
        assertTrue(with("beacon.destinations.allow-private-addresses = true").allowPrivateAddresses());
        assertTrue(withEnvironment(Map.of("BEACON_DESTINATIONS_ALLOW_PRIVATE_ADDRESSES", "true")).allowPrivateAddresses());
        assertFalse(withEnvironment(Map.of("BEACON_DESTINATIONS_ALLOW_PRIVATE_ADDRESSES", "true",
                "BEACON_CDP_ALLOW_PRIVATE_ADDRESSES", "false")).allowPrivateAddresses());
    }

    @Test
    void shouldRefuseAnOutOfRangeValueNamingTheKey() {
        assertRefused("beacon.cdp.retry.jitter = 1.5", "beacon.cdp.retry.jitter");
        assertRefused("beacon.cdp.retry.time-scale = 0", "beacon.cdp.retry.time-scale");
        assertRefused("beacon.cdp.retry.schedule = []", "beacon.cdp.retry.schedule");
        assertRefused("beacon.cdp.retry.schedule = [1s, -1s]", "beacon.cdp.retry.schedule");
        assertRefused("beacon.cdp.circuit.failure-threshold = 0", "beacon.cdp.circuit.failure-threshold");
        assertRefused("beacon.cdp.circuit.max-open-for = 10s", "beacon.cdp.circuit.max-open-for");
        assertRefused("beacon.cdp.request-timeout = 0s", "beacon.cdp.request-timeout");
        assertRefused("beacon.cdp.disable-after = 0s", "beacon.cdp.disable-after");
        assertRefused("beacon.cdp.partitions = 0", "beacon.cdp.partitions");
        assertRefused("beacon.cdp.max-pending-per-partition = -1", "beacon.cdp.max-pending-per-partition");
    }

    @Test
    void shouldRefuseAValueOfTheWrongTypeNamingTheKey() {
        assertRefused("beacon.cdp.request-timeout = soon", "beacon.cdp.request-timeout");
        assertRefused("beacon.cdp.allow-private-addresses = maybe", "beacon.cdp.allow-private-addresses");
        assertRefused("beacon.cdp.retry.schedule = [5s, later]", "beacon.cdp.retry.schedule");
    }

    @Test
    void shouldKeepTheRetryScheduleWhenOnlyTheTimeScaleChanges() {
        CdpSettings base = CdpSettings.fromConfig(ConfigFactory.defaultReference());

        CdpSettings scaled = base.withRetry(base.retrySchedule(), base.retryJitter(), 0.001);

        assertEquals(base.retrySchedule(), scaled.retrySchedule());
        assertEquals(0.001, scaled.retryTimeScale());
        assertTrue(base.withAllowPrivateAddresses(true).allowPrivateAddresses());
    }

    private static void assertRefused(String hocon, String key) {
        ConfigException e = assertThrows(ConfigException.class, () -> with(hocon), hocon);
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }
}
