package io.beacon.httpkit;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.handleExceptions;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.beacon.event.RefusedException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The endpoint directives on a loopback server: authentication, headers and body reach the handler; failures are mapped. */
class ApiRoutesTest {
    private static final SecretKeyAuth<String> KEYS = new SecretKeyAuth<>(key -> Optional.ofNullable(Map.of("sk_a", "a").get(key)));
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static ActorSystem system;
    private static ServerBinding binding;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        system = ActorSystem.create("http-kit-test");
        ApiErrors errors = ApiErrors.standard();
        Route routes = concat(
                path("echo", () -> ApiRoutes.request(errors, KEYS, (project, r) -> CompletableFuture.completedFuture(
                        Json.response(200, JsonNodeFactory.instance.objectNode().put("project", project)
                                .put("if_match", r.ifMatch().orElse("")).put("body", new String(r.body())))))),
                path("refuse", () -> ApiRoutes.request(errors, r -> {
                    throw new RefusedException(RefusedException.Kind.BUSY, "TOO_MANY_QUERIES", "busy", null, 1);
                })),
                path("fail", () -> ApiRoutes.request(errors, r ->
                        CompletableFuture.failedFuture(ApiException.notFound("no such thing")))),
                path("who", () -> ApiRoutes.authenticated(errors, KEYS, project -> complete("hello " + project))),
                path("escape", () -> handleExceptions(errors.exceptionHandler(), () -> extractRequest(request -> {
                    throw new RefusedException(RefusedException.Kind.NOT_FOUND, "NO_SUCH_THING", "escaped", "id");
                }))));
        binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(routes).toCompletableFuture().get(30, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + binding.localAddress().getPort();
    }

    @AfterAll
    static void stop() throws Exception {
        binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        system.terminate();
    }

    private static HttpResponse<String> send(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString("{\"x\":1}"));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldHandTheHandlerTheKeysProjectIfMatchAndBody() throws Exception {
        HttpResponse<String> r = send("/echo", "Authorization", "Bearer sk_a", "If-Match", "W/\"2\"");

        assertEquals(200, r.statusCode());
        assertEquals("{\"project\":\"a\",\"if_match\":\"W/\\\"2\\\"\",\"body\":\"{\\\"x\\\":1}\"}", r.body());
    }

    @Test
    void shouldAnswer401WithAChallengeWithoutAValidKey() throws Exception {
        HttpResponse<String> missing = send("/echo");
        HttpResponse<String> wrong = send("/echo", "Authorization", "Bearer sk_b");

        assertEquals(401, missing.statusCode());
        assertEquals("Bearer", missing.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals("{\"error\":{\"code\":\"UNAUTHORIZED\",\"message\":\"missing 'Authorization: Bearer <secret key>'\"}}", missing.body());
        assertEquals(401, wrong.statusCode());
    }

    @Test
    void shouldAnswerWhatAHandlerThrowsOrFailsWith() throws Exception {
        HttpResponse<String> refused = send("/refuse");
        HttpResponse<String> failed = send("/fail");

        assertEquals(429, refused.statusCode());
        assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""));
        assertEquals(404, failed.statusCode());
        assertEquals("{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no such thing\"}}", failed.body());
    }

    @Test
    void shouldRouteOnlyAuthenticatedRequestsToTheInnerRoute() throws Exception {
        assertEquals("hello a", send("/who", "Authorization", "Bearer sk_a").body());
        assertEquals(401, send("/who").statusCode());
    }

    @Test
    void shouldAnswerAnExceptionThatEscapesARouteThroughTheSameMapping() throws Exception {
        HttpResponse<String> r = send("/escape");

        assertEquals(404, r.statusCode());
        assertEquals("{\"error\":{\"code\":\"NO_SUCH_THING\",\"message\":\"escaped\",\"field\":\"id\"}}", r.body());
    }
}
