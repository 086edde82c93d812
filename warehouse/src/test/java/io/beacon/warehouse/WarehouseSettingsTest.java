package io.beacon.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import io.beacon.event.TopicNames;
import io.beacon.warehouse.ClickHouseSettings;
import io.beacon.warehouse.SinkSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WarehouseSettingsTest {

    @Test
    void shouldReadTheDocumentedDefaults() {
        WarehouseSettings settings = WarehouseSettings.fromConfig(ConfigFactory.load());

        assertEquals(new ClickHouseSettings("http://127.0.0.1:8123", "beacon", "default", "", Duration.ofSeconds(60)),
                settings.clickhouse());
        assertEquals(SinkSettings.defaults(), settings.sink());
        assertEquals("127.0.0.1:9092", settings.bootstrapServers());
        assertEquals(TopicNames.defaults(), settings.topics());
    }

    @Test
    void shouldApplyOverrides() {
        WarehouseSettings settings = WarehouseSettings.fromConfig(ConfigFactory.parseString("""
                beacon.clickhouse.database = analytics
                beacon.sink.batch-size = 100
                beacon.sink.flush-interval = 250ms
                beacon.kafka.topic-prefix = "t1."
                """).withFallback(ConfigFactory.load()));

        assertEquals("analytics", settings.clickhouse().database());
        assertEquals(100, settings.sink().batchSize());
        assertEquals(Duration.ofMillis(250), settings.sink().flushInterval());
        assertEquals("t1.beacon.events.valid", settings.topics().valid());
    }

    @Test
    void shouldRefuseADatabaseNameThatIsNoPlainIdentifier() {
        assertThrows(IllegalArgumentException.class, () -> ClickHouseSettings.of("http://x", "beacon; DROP"));
    }

    @Test
    void shouldNotPrintThePassword() {
        ClickHouseSettings settings = new ClickHouseSettings("http://x", "db", "u", "s3cret", Duration.ofSeconds(1));

        assertFalse(settings.toString().contains("s3cret"));
    }
}
