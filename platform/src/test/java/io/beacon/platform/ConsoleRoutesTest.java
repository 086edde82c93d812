package io.beacon.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Directives;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console bundle as the node serves it: index.html for the app's paths, hashed assets cached, the JSON 404 kept. */
class ConsoleRoutesTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static ActorSystem system;
    private static ServerBinding built;
    private static ServerBinding missing;

    @TempDir
    static Path bundle;
    @TempDir
    static Path empty;

    @BeforeAll
    static void start() throws Exception {
        Files.writeString(bundle.resolve("index.html"), "<!doctype html><div id=app></div>");
        Files.createDirectories(bundle.resolve("assets"));
        Files.writeString(bundle.resolve("assets/index-AbC123.js"), "console.log(1)");
        Files.writeString(bundle.resolve("assets/index-AbC123.css"), "body{}");
        system = ActorSystem.create("console-routes-test");
        built = bind(bundle);
        missing = bind(empty);
    }

    private static ServerBinding bind(Path dir) throws Exception {
        return Http.get(system).newServerAt("127.0.0.1", 0)
                .bind(Directives.concat(new ConsoleRoutes(dir).route(), HealthRoutes.notFound()))
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        system.terminate();
    }

    @Test
    void shouldServeIndexHtmlForTheRootAndForClientSideRoutes() throws Exception {
        for (String path : new String[] {"/", "/insights/funnels", "/insights/trends?q=%7B%7D", "/sql", "/sign-in", "/models",
            "/models/churn-logistic-20261201-000000-bd7b326b", "/journeys", "/journeys/new", "/journeys/jny_abc/edit"}) {
            HttpResponse<String> r = get(built, path);
            assertEquals(200, r.statusCode(), path);
            assertEquals("<!doctype html><div id=app></div>", r.body(), path);
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), path);
            assertEquals("no-cache", r.headers().firstValue("Cache-Control").orElse(""), path);
        }
    }

    @Test
    void shouldServeHashedAssetsWithTheirContentTypeAndALongCacheLifetime() throws Exception {
        HttpResponse<String> js = get(built, "/assets/index-AbC123.js");
        assertEquals(200, js.statusCode());
        assertEquals("console.log(1)", js.body());
        assertTrue(js.headers().firstValue("Content-Type").orElse("").contains("javascript"), js.headers().toString());
        assertEquals("public, max-age=31536000, immutable", js.headers().firstValue("Cache-Control").orElse(""));
        HttpResponse<String> css = get(built, "/assets/index-AbC123.css");
        assertTrue(css.headers().firstValue("Content-Type").orElse("").startsWith("text/css"), css.headers().toString());
    }

    @Test
    void shouldLeaveUnknownPathsAndTheApiToTheJsonNotFound() throws Exception {
        for (String path : new String[] {"/assets/nope.js", "/api/v1/nothing", "/nothing", "/sqlx", "/assets/../index.html"}) {
            HttpResponse<String> r = get(built, path);
            assertEquals(404, r.statusCode(), path);
            assertTrue(r.body().contains("NOT_FOUND"), path + ": " + r.body());
        }
    }

    @Test
    void shouldSayHowToBuildTheConsoleWhenTheBundleIsMissing() throws Exception {
        HttpResponse<String> r = get(missing, "/insights/funnels");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(r.body().contains("npm ci &amp;&amp; npx vite build"), r.body());
        assertTrue(r.body().contains(empty.toString()), r.body());
    }

    private static HttpResponse<String> get(ServerBinding b, String path) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + b.localAddress().getPort() + path);
        return HTTP.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
