package io.beacon.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.destinations.DestinationDefinition;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./beacon cdp resync --destination D [--resync-id R] [--url U] [--secret-key K]} as a value. Unlike
 * {@code cdp dlq}, which reads Kafka directly, a resync needs the engine's segment members, so it calls the node's
 * {@code POST /api/v1/destinations/{id}/resync}: the running dev stack's HTTP server and its dev project's secret
 * key unless {@code --url}/{@code --secret-key} (or {@code BEACON_SECRET_KEY}) say otherwise.
 *
 * @param destination the destination id
 * @param resyncId    the resync id to reuse (a retry), or {@code null}: the node generates one
 * @param url         the node's base URL, or {@code null}: the dev stack's
 * @param secretKey   the project's secret key, or {@code null}: the environment's, else the dev project's
 */
record CdpResyncCommand(String destination, String resyncId, String url, String secretKey) {
    static final String USAGE = "usage: ./beacon cdp resync --destination D [--resync-id R] [--url http://host:port]"
            + " [--secret-key sk_…]  (default: the running dev stack and its dev project's secret key; env BEACON_SECRET_KEY)";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    /**
     * The command of {@code args} (what follows {@code cdp}, starting with {@code resync}).
     *
     * @throws IllegalArgumentException naming the option at fault, or with {@link #USAGE}
     */
    static CdpResyncCommand parse(String[] args) {
        if (args.length < 1 || !args[0].equals("resync")) {
            throw new IllegalArgumentException(USAGE);
        }
        Map<String, String> opts = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--") && i + 1 < args.length && !opts.containsKey(a.substring(2))) {
                opts.put(a.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("unexpected '" + a + "'; " + USAGE);
            }
        }
        String destination = opts.remove("destination");
        if (destination == null) {
            throw new IllegalArgumentException("--destination is required; " + USAGE);
        }
        Optional<String> bad = DestinationDefinition.checkId(destination);
        if (bad.isPresent()) {
            throw new IllegalArgumentException("--destination " + bad.get());
        }
        String resyncId = opts.remove("resync-id");
        String url = opts.remove("url");
        if (url != null && !(url.startsWith("http://") || url.startsWith("https://"))) {
            throw new IllegalArgumentException("--url must be an http(s) URL such as http://127.0.0.1:8080");
        }
        String secretKey = opts.remove("secret-key");
        if (!opts.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) " + opts.keySet() + "; " + USAGE);
        }
        return new CdpResyncCommand(destination, resyncId, url, secretKey);
    }

    /** The resync endpoint below {@code baseUrl}. */
    URI uri(String baseUrl) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return URI.create(base + "/api/v1/destinations/" + destination + "/resync");
    }

    /** The request body: {@code {"resync_id":…}} when one is given, else {@code {}}. */
    String body() {
        ObjectNode o = JSON.createObjectNode();
        if (resyncId != null) {
            o.put("resync_id", resyncId);
        }
        return o.toString();
    }

    /** The secret key of the dev project in {@code devDir}, if {@code ./beacon up} ever created one. */
    static Optional<String> devSecretKey(Path devDir) {
        Path f = devDir.resolve("dev-project.json");
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(JSON.readTree(f.toFile()).path("secretKey").textValue());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Posts the resync and answers the node's JSON.
     *
     * @throws IllegalStateException when the node cannot be reached or refuses (its error in the message)
     */
    JsonNode run(HttpClient client, String baseUrl, String key) {
        return NodeApiCall.post(client, uri(baseUrl), key, body(), 202, TIMEOUT);
    }
}
