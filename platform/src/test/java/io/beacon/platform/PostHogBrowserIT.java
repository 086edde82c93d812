package io.beacon.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.BrowserScript;
import io.beacon.devstack.TestStack;
import io.beacon.warehouse.clickhouse.ClickHouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * posthog-js, unchanged, in a real browser against a whole Beacon node on the real Kafka and
 * ClickHouse: Debian's headless Chromium, driven by Playwright ({@code src/test/browser/shop-funnel.mjs}),
 * clicks through {@code /demo/shop} (home → product → add to cart → cart → checkout → log in →
 * place order → close), and the events must arrive in ClickHouse as analysts will query them.
 *
 * <p>Where things land (see {@code io.beacon.event.PostHogMapper}): {@code $session_id} in
 * {@code session_id}; {@code $current_url}/{@code $pathname}/{@code title} in {@code page_url}/
 * {@code page_path}/{@code page_title}; the clicked element's text ({@code $el_text}) and the
 * {@code $elements_chain} string as properties of the {@code $autocapture} rows
 * ({@code properties.value[indexOf(properties.key, '$el_text')]}); the identify's user and
 * anonymous ids in {@code user_id}/{@code device_id}.
 *
 * <p>Needs node, Chromium ({@code /usr/bin/chromium}) and {@code npm ci} in {@code platform/web};
 * {@code ./beacon test} installs them. Without them this test fails and says so: it never skips.
 */
@ExtendWith(BeaconStackExtension.class)
class PostHogBrowserIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration BROWSER_TIMEOUT = Duration.ofSeconds(180);
    private static final String USER = "ada@example.com";

    @Test
    void shouldStorePosthogJsFunnelFromARealBrowser(TestStack stack) throws Exception {
        Path platformDir = platformDir();
        Path script = platformDir.resolve("src/test/browser/shop-funnel.mjs");
        Path web = platformDir.resolve("web");
        requireBrowserTools(web);

        PlatformFixture fx = new PlatformFixture(stack, "posthog", 0);
        try (BeaconNode node = BeaconNode.start(fx.config()); ClickHouse ch = fx.clickhouse()) {
            assertTrue(Readiness.allOk(node.awaitReady(Duration.ofSeconds(60))), "node ready");

            // When the browser clicks through the demo shop
            Path recording = Files.createTempFile("posthog-requests-", ".json");
            JsonNode report = runBrowser(script, node.httpUrl(), fx.writeKey, recording);
            String anonId = report.get("anonDistinctId").asText();
            String sessionId = report.get("sessionId").asText();
            assertEquals(USER, report.get("userDistinctId").asText());
            assertEquals(sessionId, report.get("sessionIdAtEnd").asText(), "posthog-js kept one session");

            // Then every event arrives: the last batch (purchase, $pageleave) was sent by sendBeacon on close
            long pageleaves = PlatformFixture.awaitValue(() -> PlatformFixture.count(ch,
                    "SELECT count() FROM events FINAL WHERE event_name = '$pageleave'"), 1, Duration.ofSeconds(60));
            assertTrue(pageleaves >= 1, "the $pageleave sent on close arrived: " + pageleaves + "; browser report " + report);
            PlatformFixture.awaitValue(() -> PlatformFixture.count(ch,
                    "SELECT count() FROM events FINAL WHERE event_name = 'purchase'"), 1, Duration.ofSeconds(30));

            // the four page views, with their pages
            assertEquals(Set.of("/demo/shop/", "/demo/shop/product.html", "/demo/shop/cart.html", "/demo/shop/checkout.html"),
                    column(ch, "SELECT page_path FROM events FINAL WHERE event_name = '$pageview'"));
            assertEquals(4, ch.queryLong("SELECT count() FROM events FINAL WHERE event_name = '$pageview' AND event_type = 'page'"
                    + " AND page_url LIKE 'http://127.0.0.1:%/demo/shop/%' AND page_title LIKE '%Beacon demo shop'"));

            // the autocaptured clicks, with the clicked element's text
            Set<String> clicked = column(ch, "SELECT properties.value[indexOf(properties.key, '$el_text')] FROM events FINAL"
                    + " WHERE event_name = '$autocapture'");
            assertTrue(clicked.containsAll(List.of("Beacon Mug", "Add to cart", "View cart", "Checkout", "Log in", "Place order")),
                    "autocaptured element texts: " + clicked);
            assertEquals("button", ch.query("SELECT substring(properties.value[indexOf(properties.key, '$elements_chain')], 1, 6)"
                    + " FROM events FINAL WHERE event_name = '$autocapture'"
                    + " AND properties.value[indexOf(properties.key, '$el_text')] = 'Add to cart'").single());

            // the custom purchase, by the logged-in user on the same device
            Map<String, String> purchase = ch.query("SELECT user_id, device_id, distinct_id,"
                    + " properties.value[indexOf(properties.key, 'revenue')] AS revenue,"
                    + " properties.value[indexOf(properties.key, 'currency')] AS currency"
                    + " FROM events FINAL WHERE event_name = 'purchase'").asMaps().get(0);
            assertEquals(Map.of("user_id", USER, "device_id", anonId, "distinct_id", USER, "revenue", "12.5", "currency", "USD"), purchase);

            // the identify after login links the anonymous visitor to the user
            Map<String, String> identify = ch.query("SELECT event_type, user_id, device_id,"
                    + " traits.value[indexOf(traits.key, 'email')] AS email"
                    + " FROM events FINAL WHERE event_name = '$identify'").asMaps().get(0);
            assertEquals(Map.of("event_type", "identify", "user_id", USER, "device_id", anonId, "email", USER), identify);
            assertEquals(anonId, ch.query("SELECT distinct_id FROM events FINAL WHERE event_name = '$pageview'"
                    + " AND page_path = '/demo/shop/'").single(), "before login the visitor is anonymous");

            // one session across every event, the one posthog-js reported
            assertEquals(Set.of(sessionId), column(ch, "SELECT DISTINCT session_id FROM events FINAL"));
            assertEquals(Set.of("web"), column(ch, "SELECT DISTINCT platform FROM events FINAL"));
            assertEquals(Set.of("Linux"), column(ch, "SELECT DISTINCT os_name FROM events FINAL"));
            assertNotNull(report.get("sdkVersion"));
        }
    }

    /** Runs the Playwright script; fails with its output when it does not succeed in time or logged console errors. */
    private static JsonNode runBrowser(Path script, String baseUrl, String writeKey, Path recording) throws Exception {
        JsonNode report = JSON.readTree(BrowserScript.run(BROWSER_TIMEOUT, script, baseUrl, writeKey, recording.toString()));
        assertEquals(0, report.get("consoleErrors").size(), "posthog-js ran without console errors: " + report.get("consoleErrors"));
        return report;
    }

    /** Fails, never skips, when a tool is missing: in CI this must be fixed, not ignored. */
    private static void requireBrowserTools(Path web) {
        assertNotNull(PostHogBrowserIT.class.getClassLoader().getResource(DemoRoutes.POSTHOG_BUNDLE),
                "posthog-js is not on the classpath: run 'npm ci' in platform/web, then rebuild (./beacon test does both)");
        BrowserScript.requireTools(web);
    }

    private static Set<String> column(ClickHouse ch, String sql) {
        Set<String> values = new HashSet<>();
        ch.query(sql).rows().forEach(row -> values.add(row.get(0)));
        return values;
    }

    /** The platform module directory: Maven runs tests there; from the repository root, platform/. */
    private static Path platformDir() {
        Path cwd = Paths.get("").toAbsolutePath();
        return Files.isDirectory(cwd.resolve("src/test/browser")) ? cwd : cwd.resolve("platform");
    }
}
