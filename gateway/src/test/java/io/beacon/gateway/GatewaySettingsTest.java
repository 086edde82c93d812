package io.beacon.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewaySettingsTest {

    private static GatewaySettings with(String hocon) {
        Config config = ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve();
        return GatewaySettings.fromConfig(config);
    }

    @Test
    void shouldDefaultEveryKeyFromReferenceConf() {
        GatewaySettings settings = GatewaySettings.fromConfig(ConfigFactory.defaultReference());

        assertEquals(32 * 1024, settings.maxEventBytes());
        assertEquals(500 * 1024, settings.maxRequestBytes());
        assertFalse(settings.trustForwardedFor());
        assertEquals(Duration.ofSeconds(8), settings.appendTimeout());
        assertEquals(10, settings.retryAfterSeconds());
        assertEquals("127.0.0.1:9092", settings.kafka().bootstrapServers());
        assertEquals("beacon.events.raw", settings.kafka().topics().raw());
        assertEquals("lz4", settings.kafka().compression());
        assertEquals(Duration.ofMillis(5), settings.kafka().linger());
        assertEquals(Map.of(), settings.kafka().properties());
    }

    @Test
    void shouldKeepTheDefaultBoundOnA503BelowTenSeconds() {
        GatewaySettings settings = GatewaySettings.fromConfig(ConfigFactory.defaultReference());

        assertEquals(-1, settings.appendTimeout().compareTo(Duration.ofSeconds(10)));
    }

    @Test
    void shouldReadOverriddenLimitsAndKafkaSettings() {
        GatewaySettings settings = with("""
                beacon.kafka.bootstrap-servers = "k1:9092,k2:9092"
                beacon.kafka.topic-prefix = "staging."
                beacon.gateway.max-event-size = 64KiB
                beacon.gateway.max-request-size = 1MiB
                beacon.gateway.trust-forwarded-for = on
                beacon.gateway.kafka.properties { security.protocol = SSL }
                """);

        assertEquals(64 * 1024, settings.maxEventBytes());
        assertEquals(1024 * 1024, settings.maxRequestBytes());
        assertEquals(true, settings.trustForwardedFor());
        assertEquals("k1:9092,k2:9092", settings.kafka().bootstrapServers());
        assertEquals("staging.beacon.events.raw", settings.kafka().topics().raw());
        assertEquals(Map.of("security.protocol", "SSL"), settings.kafka().properties());
    }

    @Test
    void shouldRefuseDeliveryTimeoutShorterThanLingerPlusRequestTimeout() {
        assertThrows(ConfigException.class, () -> with("beacon.gateway.kafka.delivery-timeout = 1s"));
    }

    @Test
    void shouldConfigureAnIdempotentAcksAllProducerThatExtraPropertiesCannotWeaken() {
        GatewaySettings settings = with("beacon.gateway.kafka.properties { acks = \"0\", enable.idempotence = false }");

        Map<String, Object> props = KafkaEventLog.producerProperties(settings.kafka());

        assertEquals("all", props.get("acks"));
        assertEquals(true, props.get("enable.idempotence"));
        assertEquals(2000L, props.get("max.block.ms"));
        assertEquals(5000, props.get("delivery.timeout.ms"));
        assertEquals(2000, props.get("request.timeout.ms"));
        assertEquals("lz4", props.get("compression.type"));
    }
}
