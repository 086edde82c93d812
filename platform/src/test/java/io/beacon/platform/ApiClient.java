package io.beacon.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small JSON client for Beacon's {@code /api/v1} routes, authenticated with a secret key. */
final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String baseUrl;
    private final String secretKey;

    record Response(int status, JsonNode body, String text) {
    }

    ApiClient(String baseUrl, String secretKey) {
        this.baseUrl = baseUrl;
        this.secretKey = secretKey;
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    Response post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Response patch(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    Response put(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Sends and fails the test on a transport error. */
    private Response send(HttpRequest.Builder b) {
        HttpRequest req = b.timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + secretKey)
                .header("Content-Type", "application/json").build();
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
            } catch (IOException e) {
                body = JSON.nullNode();
            }
            return new Response(r.statusCode(), body, r.body());
        } catch (IOException e) {
            throw new AssertionError(req.method() + " " + req.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }
}
