package io.beacon.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.beacon.control.store.ConfigStoreSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ControlPlaneSettingsTest {
    @Test
    void shouldReadTheDocumentedDefaults() {
        ControlPlaneSettings s = ControlPlaneSettings.fromConfig(ConfigFactory.defaultReference());
        assertEquals("127.0.0.1:9092", s.bootstrapServers());
        assertEquals("beacon.config", s.configTopic());
        assertEquals(Duration.ofSeconds(10), s.writeTimeout());
        assertTrue(s.adminToken().isEmpty());
        assertEquals(1, s.replicationFactor());
        assertFalse(s.allowPrivateDestinationAddresses());
    }

    @Test
    void shouldReadTheDestinationAddressSwitch() {
        ControlPlaneSettings s = ControlPlaneSettings.fromConfig(ConfigFactory.parseString(
                "beacon.destinations.allow-private-addresses = true").withFallback(ConfigFactory.defaultReference()));
        assertTrue(s.allowPrivateDestinationAddresses());
    }

    @Test
    void shouldPrefixTheTopicAndKeepTheTokenOutOfToString() {
        ControlPlaneSettings s = ControlPlaneSettings.fromConfig(ConfigFactory.parseString(
                "beacon.kafka.topic-prefix = \"it.\"\nbeacon.control-plane.admin-token = \"s3cr3t-admin\"")
                .withFallback(ConfigFactory.defaultReference()));
        assertEquals("it.beacon.config", ConfigStoreSettings.from(s).topic());
        assertEquals("s3cr3t-admin", s.adminToken().orElseThrow());
        assertFalse(s.toString().contains("s3cr3t-admin"));
    }
}
