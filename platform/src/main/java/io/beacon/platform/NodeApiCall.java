package io.beacon.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The command line's call of a node's API: one JSON POST with the project's secret key, its JSON answer or why not. */
final class NodeApiCall {
    private static final ObjectMapper JSON = new ObjectMapper();

    private NodeApiCall() {
    }

    /**
     * @throws IllegalStateException when the node cannot be reached, or answers another status than {@code expected}
     *                               (its error in the message), or not JSON
     */
    static JsonNode post(HttpClient client, URI uri, String key, String body, int expected, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("the node at " + uri.getScheme() + "://" + uri.getAuthority() + " did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("HTTP " + response.statusCode() + " with a body that is not JSON");
        }
        if (response.statusCode() != expected) {
            throw new IllegalStateException("HTTP " + response.statusCode() + " " + answer);
        }
        return answer;
    }
}
