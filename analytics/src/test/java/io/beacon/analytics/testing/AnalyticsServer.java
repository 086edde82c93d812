package io.beacon.analytics.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.beacon.analytics.AnalyticsSettings;
import io.beacon.analytics.Warehouse;
import io.beacon.analytics.api.AnalyticsApi;
import io.beacon.analytics.runtime.Analytics;
import io.beacon.control.project.EnforcementMode;
import io.beacon.control.project.Project;
import io.beacon.control.project.ProjectDirectory;
import io.beacon.control.store.InMemoryConfigStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;

/** The analytics API on a loopback port over an {@link AnalyticsDb}, with projects created in an in-memory config store. */
public final class AnalyticsServer implements AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper();
    private final InMemoryConfigStore store = new InMemoryConfigStore();
    private final ProjectDirectory projects = new ProjectDirectory(store);
    private final Analytics analytics;
    private final ActorSystem<Void> system;
    private final ServerBinding binding;
    private final String base;
    private final HttpClient http = HttpClient.newHttpClient();

    public AnalyticsServer(AnalyticsDb db, AnalyticsSettings settings, Clock clock) throws Exception {
        analytics = new Analytics(projects, store, Warehouse.of(db.clickhouse()), settings, clock);
        system = ActorSystem.create(Behaviors.empty(), "analytics-test");
        binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(AnalyticsApi.routes(analytics)).toCompletableFuture().get(30, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + binding.localAddress().getPort();
    }

    /** Creates project {@code id} in {@code zone}; its secret key is {@code "sk_test_" + id + "_0123456789"}. */
    public Project project(String id, String zone) throws Exception {
        Project p = new Project(id, id, zone, EnforcementMode.PERMISSIVE, "wk_test_" + id + "_0123456789", secret(id),
                "pii_test_" + id + "_0123456789");
        projects.create(p).toCompletableFuture().get(10, TimeUnit.SECONDS);
        return p;
    }

    public static String secret(String projectId) {
        return "sk_test_" + projectId + "_0123456789";
    }

    public Analytics analytics() {
        return analytics;
    }

    public HttpResponse<String> send(String method, String path, String projectId, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (projectId != null) {
            b.header("Authorization", "Bearer " + secret(projectId));
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> postJson(String path, String projectId, String body) throws Exception {
        return send("POST", path, projectId, "application/json", body);
    }

    public HttpResponse<String> get(String path, String projectId) throws Exception {
        return send("GET", path, projectId, null, null);
    }

    /** The body of a 200 answer as JSON (fails with the body otherwise). */
    public static JsonNode ok(HttpResponse<String> r) throws Exception {
        if (r.statusCode() / 100 != 2) {
            throw new AssertionError("HTTP " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    @Override
    public void close() throws Exception {
        binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        system.terminate();
        analytics.close();
    }
}
