package io.beacon.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code ./beacon dq reconcile --hour H [--project P] [--url U] [--secret-key K]} as a value: reconciles one window
 * (an hour by default) through the node's {@code POST /api/v1/dq/reconcile} — the running dev stack and its dev
 * project's secret key unless {@code --url}/{@code --secret-key} (or {@code BEACON_SECRET_KEY}) say otherwise.
 * {@code --project} must be the secret key's project (a check, since the key decides the project).
 *
 * @param windowStart the window's start ({@code --hour 2026-12-08T10:00:00Z}; {@code --window} also accepted)
 */
record DqCommand(Instant windowStart, String project, String url, String secretKey) {
    static final String USAGE = "usage: ./beacon dq reconcile --hour 2026-12-08T10:00:00Z [--project P] [--url http://host:port]"
            + " [--secret-key sk_…]  (default: the running dev stack and its dev project's secret key; env BEACON_SECRET_KEY)";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    /** @throws IllegalArgumentException naming the option at fault, or with {@link #USAGE} */
    static DqCommand parse(String[] args) {
        if (args.length < 1 || !args[0].equals("reconcile")) {
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
        String hour = opts.containsKey("hour") ? opts.remove("hour") : opts.remove("window");
        if (hour == null) {
            throw new IllegalArgumentException("--hour is required; " + USAGE);
        }
        Instant start;
        try {
            start = Instant.parse(hour);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--hour must be an instant such as 2026-12-08T10:00:00Z, not '" + hour + "'");
        }
        String project = opts.remove("project");
        String url = opts.remove("url");
        if (url != null && !(url.startsWith("http://") || url.startsWith("https://"))) {
            throw new IllegalArgumentException("--url must be an http(s) URL such as http://127.0.0.1:8080");
        }
        String secretKey = opts.remove("secret-key");
        if (!opts.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) " + opts.keySet() + "; " + USAGE);
        }
        return new DqCommand(start, project, url, secretKey);
    }

    URI uri(String baseUrl) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return URI.create(base + "/api/v1/dq/reconcile");
    }

    String body() {
        return JSON.createObjectNode().put("window", windowStart.toString()).toString();
    }

    /**
     * Posts the reconciliation and answers the report.
     *
     * @throws IllegalStateException when the node cannot be reached or refuses (its error in the message), or the key is
     *                               of another project than {@code --project}
     */
    JsonNode run(HttpClient client, String baseUrl, String key) {
        JsonNode answer = NodeApiCall.post(client, uri(baseUrl), key, body(), 200, TIMEOUT);
        if (project != null && !project.equals(answer.path("project_id").asText())) {
            throw new IllegalStateException("the secret key is of project '" + answer.path("project_id").asText() + "', not '" + project + "'");
        }
        return answer;
    }
}
