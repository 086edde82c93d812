package io.beacon.control.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.control.ConfigTopic;
import org.junit.jupiter.api.Test;

class ConfigKeyTest {
    @Test
    void shouldRoundTripKeysWhoseIdContainsSlashes() {
        ConfigKey key = ConfigKey.of("event", "p1", "a/b c");
        assertEquals("event/p1/a/b c", key.asString());
        assertEquals(key, ConfigKey.parse(key.asString()).orElseThrow());
    }

    @Test
    void shouldNotParseKeysWithoutThreeParts() {
        assertTrue(ConfigKey.parse("event/p1").isEmpty());
        assertTrue(ConfigKey.parse("Event/p1/x").isEmpty());
        assertTrue(ConfigKey.parse("event//x").isEmpty());
    }

    @Test
    void shouldRefuseProjectsWithSlashes() {
        assertThrows(IllegalArgumentException.class, () -> ConfigKey.of("event", "a/b", "x"));
    }

    @Test
    void shouldPrefixTheConfigTopic() {
        assertEquals("beacon.config", ConfigTopic.withPrefix(""));
        assertEquals("t1.beacon.config", ConfigTopic.withPrefix("t1."));
        assertEquals("beacon.config", ConfigTopic.withPrefix(null));
    }
}
