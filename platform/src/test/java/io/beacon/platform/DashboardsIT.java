package io.beacon.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Saved insights and dashboards through the HTTP API of a whole node on the real Kafka config store: versioned
 * create/read/update/delete with conflicts, a query the analytics parser refuses is not saved, and a dashboard read
 * back by a second node start (the documents live on the config topic, not in the node).
 */
@ExtendWith(BeaconStackExtension.class)
class DashboardsIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TREND = "{\"date_range\":{\"from\":\"2026-12-01\",\"to\":\"2026-12-07\"},"
            + "\"series\":[{\"event\":\"Product Viewed\",\"math\":\"unique_persons\"}],\"breakdown\":{\"property\":\"platform\",\"limit\":10}}";

    @Test
    void shouldKeepVersionedSavedInsightsAndDashboardsAcrossARestartAndRefuseBadQueries(TestStack stack) throws Exception {
        PlatformFixture fx = new PlatformFixture(stack, "dash", 0);
        String secret = "sk_" + fx.name + "_test_secret_key";
        fx.settings.put("beacon.bootstrap-project.secret-key", secret);
        String dashboardId;
        JsonNode dashboardBefore;
        try (BeaconNode node = BeaconNode.start(fx.config())) {
            node.awaitReady(DEADLINE);
            ApiClient api = new ApiClient(node.httpUrl(), secret);

            // a query the parser refuses (inverted dates) answers 400 naming query.date_range and saves nothing
            ApiClient.Response bad = api.post("/api/v1/saved-insights", "{\"name\":\"Bad\",\"analysis\":\"trends\",\"query\":"
                    + TREND.replace("2026-12-01", "2026-12-09") + "}");
            assertEquals(400, bad.status(), bad.text());
            assertEquals("INVALID_QUERY", bad.body().at("/error/code").asText());
            assertEquals("query.date_range", bad.body().at("/error/field").asText());
            ApiClient.Response unknownEvent = api.post("/api/v1/saved-insights", "{\"name\":\"Bad\",\"analysis\":\"trends\",\"query\":"
                    + TREND.replace("unique_persons", "most") + "}");
            assertEquals("query.series[0].math", unknownEvent.body().at("/error/field").asText(), unknownEvent.text());
            ApiClient.Response malformed = api.post("/api/v1/saved-insights", "{\"name\":");
            assertEquals(400, malformed.status());
            assertEquals("MALFORMED_JSON", malformed.body().at("/error/code").asText());
            ApiClient.Response noName = api.post("/api/v1/saved-insights", "{\"name\":\"\",\"analysis\":\"trends\",\"query\":" + TREND + "}");
            assertEquals("name", noName.body().at("/error/field").asText(), noName.text());
            assertEquals(0, api.get("/api/v1/saved-insights").body().get("saved_insights").size());

            // create, read, update with the expected version, a stale update refused
            ApiClient.Response created = api.post("/api/v1/saved-insights", "{\"name\":\"Viewers by platform\",\"analysis\":\"trends\","
                    + "\"query\":" + TREND + "}");
            assertEquals(201, created.status(), created.text());
            String id = created.body().get("id").asText();
            assertEquals(1, created.body().get("version").asLong());
            assertEquals(JSON.readTree(TREND), api.get("/api/v1/saved-insights/" + id).body().get("query"));
            ApiClient.Response renamed = api.put("/api/v1/saved-insights/" + id, "{\"name\":\"Viewers\",\"analysis\":\"trends\","
                    + "\"query\":" + TREND + ",\"version\":1}");
            assertEquals(200, renamed.status(), renamed.text());
            assertEquals(2, renamed.body().get("version").asLong());
            ApiClient.Response stale = api.put("/api/v1/saved-insights/" + id, "{\"name\":\"Old\",\"analysis\":\"trends\","
                    + "\"query\":" + TREND + ",\"version\":1}");
            assertEquals(409, stale.status(), stale.text());
            assertEquals("VERSION_CONFLICT", stale.body().at("/error/code").asText());
            assertEquals(2, stale.body().at("/error/current_version").asLong(), stale.text());

            // a dashboard refuses an unknown tile, then shows the insight; the insight cannot be deleted while shown
            ApiClient.Response unknownTile = api.post("/api/v1/dashboards", "{\"name\":\"Shop\",\"tiles\":[{\"insight\":\"" + id + "\"},"
                    + "{\"insight\":\"ins_missing\"}]}");
            assertEquals(400, unknownTile.status(), unknownTile.text());
            assertEquals("tiles[1].insight", unknownTile.body().at("/error/field").asText());
            ApiClient.Response dash = api.post("/api/v1/dashboards", "{\"name\":\"Shop\",\"tiles\":[{\"insight\":\"" + id + "\",\"width\":12}],"
                    + "\"date_range\":{\"last_days\":14},\"refresh_seconds\":60}");
            assertEquals(201, dash.status(), dash.text());
            dashboardId = dash.body().get("id").asText();
            assertEquals(409, delete(node.httpUrl(), secret, "/api/v1/saved-insights/" + id + "?version=2").statusCode());
            dashboardBefore = api.get("/api/v1/dashboards/" + dashboardId).body();

            // a second insight is deleted with its version (a stale version is refused)
            String other = api.post("/api/v1/saved-insights", "{\"id\":\"funnel-1\",\"name\":\"Checkout\",\"analysis\":\"funnels\","
                    + "\"query\":{\"date_range\":{\"from\":\"2026-12-01\",\"to\":\"2026-12-07\"},\"steps\":[{\"event\":\"a\"},{\"event\":\"b\"}]}}")
                    .body().get("id").asText();
            assertEquals("funnel-1", other);
            assertEquals(409, delete(node.httpUrl(), secret, "/api/v1/saved-insights/funnel-1?version=7").statusCode());
            assertEquals(204, delete(node.httpUrl(), secret, "/api/v1/saved-insights/funnel-1?version=1").statusCode());
            assertEquals(404, api.get("/api/v1/saved-insights/funnel-1").status());
        }

        // a new node start reads the documents back from the config topic
        try (BeaconNode node = BeaconNode.start(fx.config())) {
            node.awaitReady(DEADLINE);
            ApiClient api = new ApiClient(node.httpUrl(), secret);
            ApiClient.Response after = api.get("/api/v1/dashboards/" + dashboardId);
            assertEquals(200, after.status(), after.text());
            assertEquals(dashboardBefore, after.body());
            assertEquals(1, api.get("/api/v1/saved-insights").body().get("saved_insights").size());
            assertEquals(401, new ApiClient(node.httpUrl(), "sk_wrong_key_0123456789").get("/api/v1/dashboards").status());
        }
    }

    private static HttpResponse<String> delete(String base, String secret, String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).DELETE().header("Authorization", "Bearer " + secret)
                .timeout(Duration.ofSeconds(30)).build();
        return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
    }
}
