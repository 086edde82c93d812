package io.beacon.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.warehouse.clickhouse.ClickHouse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Events collected over HTTP are counted by the insights API of the same node. */
@ExtendWith(BeaconStackExtension.class)
class AnalyticsEndToEndIT {

    @Test
    void shouldCountCollectedEventsPerDayInATrend(TestStack stack) throws Exception {
        PlatformFixture fx = new PlatformFixture(stack, "insights", 0);
        String secret = "sk_" + fx.name + "_test_secret_key";
        fx.settings.put("beacon.bootstrap-project.secret-key", secret);
        try (BeaconNode node = BeaconNode.start(fx.config()); ClickHouse ch = fx.clickhouse()) {
            node.awaitReady(Duration.ofSeconds(60));
            // Given 700 events: load_0 … load_6, one day per n % 15 from 2026-11-10, user n % 997
            SegmentLoad load = new SegmentLoad(node::httpUrl, fx.writeKey);
            for (List<String> b : SegmentLoad.batches("a", 700, 100)) {
                load.sendUntilAccepted(SegmentLoad.batch(b), Duration.ofSeconds(30));
            }
            assertEquals(700, PlatformFixture.awaitValue(() -> PlatformFixture.count(ch, "SELECT count() FROM events FINAL"),
                    700, Duration.ofSeconds(60)));

            // When the daily trend of load_0 is asked for in UTC
            ApiClient api = new ApiClient(node.httpUrl(), secret);
            ApiClient.Response r = api.post("/api/v1/insights/trends", "{\"date_range\":{\"from\":\"2026-11-10\",\"to\":\"2026-11-24\"},"
                    + "\"interval\":\"day\",\"timezone\":\"UTC\",\"series\":[{\"event\":\"load_0\"}]}");

            // Then each day holds the events with n % 7 == 0 and n % 15 == day
            assertEquals(200, r.status(), r.text());
            JsonNode values = r.body().at("/series/0/values");
            assertEquals(15, values.size(), r.text());
            for (int day = 0; day < 15; day++) {
                int expected = 0;
                for (int n = 0; n < 700; n++) {
                    if (n % 7 == 0 && n % 15 == day) {
                        expected++;
                    }
                }
                assertEquals(expected, values.get(day).asDouble(), 0.0, "day " + day);
            }
            assertTrue(r.body().at("/queries/0/sql").asText().contains("FROM events FINAL"), r.text());
        }
    }
}
