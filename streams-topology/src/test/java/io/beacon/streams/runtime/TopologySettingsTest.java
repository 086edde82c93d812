package io.beacon.streams.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.beacon.event.TopicNames;
import io.beacon.streams.internal.DeadLetterProcessingExceptionHandler;
import io.beacon.streams.internal.DeadLetterRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class TopologySettingsTest {

    private static Config withReference(String hocon) {
        return ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve();
    }

    @Test
    void shouldReadDocumentedDefaultsFromReferenceConf() {
        TopologySettings s = TopologySettings.fromConfig(ConfigFactory.defaultReference());

        assertEquals("beacon-streams", s.applicationId());
        assertEquals(Duration.ofDays(7), s.dedupHorizon());
        assertEquals(1, s.numStreamThreads());
        assertEquals(Duration.ofMillis(100), s.commitInterval());
        assertEquals(Path.of(".beacon/streams"), s.stateDir());
        assertEquals(1, s.replicationFactor());
        assertEquals(3, s.topicPartitions());
        assertEquals(1, s.topicReplicationFactor());
        assertEquals(Duration.ofDays(7), s.eventsRetention());
        assertEquals(Duration.ofDays(30), s.dlqRetention());
        assertEquals(Map.of(), s.kafkaProperties());
        assertEquals(Duration.ofSeconds(5), s.discoveryInterval());
        // bootstrap and prefix may be overridden by BEACON_KAFKA_* in the environment; compare with that
        String env = System.getenv("BEACON_KAFKA_BOOTSTRAP_SERVERS");
        assertEquals(env != null ? env : "127.0.0.1:9092", s.bootstrapServers());
        if (System.getenv("BEACON_KAFKA_TOPIC_PREFIX") == null) {
            assertEquals(TopicNames.defaults(), s.topics());
        }
    }

    @Test
    void shouldApplyOverridesAndTopicPrefix() {
        TopologySettings s = TopologySettings.fromConfig(withReference("""
                beacon.kafka { bootstrap-servers = "k1:9092,k2:9092", topic-prefix = "staging." }
                beacon.streams { application-id = other, dedup-horizon = 2 hours, num-stream-threads = 4 }
                beacon.streams.kafka-properties { "max.poll.records" = 500, linger.ms = 5 }
                """));

        assertEquals("k1:9092,k2:9092", s.bootstrapServers());
        assertEquals(TopicNames.withPrefix("staging."), s.topics());
        assertEquals("staging.", s.topicPrefix());
        assertEquals("staging.beacon.discovery", s.discoveryTopic());
        assertEquals("other", s.applicationId());
        assertEquals(Duration.ofHours(2), s.dedupHorizon());
        assertEquals(4, s.numStreamThreads());
        assertEquals(Map.of("max.poll.records", "500", "linger.ms", "5"), s.kafkaProperties());
    }

    @Test
    void shouldAlwaysUseExactlyOnceV2EvenWhenExtraPropertiesSayOtherwise() {
        TopologySettings s = TopologySettings.fromConfig(withReference("""
                beacon.streams.kafka-properties { processing.guarantee = at_least_once, "max.poll.records" = 500 }
                """));

        Properties p = EventPipeline.streamsConfig(s);

        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertEquals("500", p.get("max.poll.records"));
        assertEquals("beacon-streams", p.get(StreamsConfig.APPLICATION_ID_CONFIG));
        assertEquals(DeadLetterProcessingExceptionHandler.class, p.get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG));
        assertEquals(s.topics().dlq(), p.get(DeadLetterRecords.DLQ_TOPIC_CONFIG));
        assertEquals(s.stateDir().toAbsolutePath().toString(), p.get(StreamsConfig.STATE_DIR_CONFIG));
    }

    @Test
    void shouldRefuseZeroDedupHorizon() {
        Config config = withReference("beacon.streams.dedup-horizon = 0 s");

        assertThrows(IllegalArgumentException.class, () -> TopologySettings.fromConfig(config));
    }
}
