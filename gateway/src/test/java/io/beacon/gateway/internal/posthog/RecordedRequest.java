package io.beacon.gateway.internal.posthog;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.event.EventCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * A PostHog capture request kept as a test fixture under {@code posthog/}: {@code recorded/} holds
 * requests posthog-js 1.449.2 really sent from Debian's headless Chromium while the browser test's
 * script ({@code platform/src/test/browser/shop-funnel.mjs}) clicked through the demo shop, captured
 * by {@code platform/src/test/browser/record-posthog-requests.mjs} (once per remote-config
 * compression setting: gzip, base64, none); {@code derived/} holds the encodings current posthog-js
 * no longer produces (lz64, GET {@code data=}), made from a recorded body with lz-string 1.5.0, the
 * library posthog-js used for them. Each file's {@code note} says which.
 *
 * @param method      HTTP method
 * @param url         path and query as sent
 * @param contentType the Content-Type header, or {@code null}
 * @param body        the body bytes exactly as sent
 */
public record RecordedRequest(String name, String method, String url, String contentType, byte[] body) {
    /** The write key the recorded run used. */
    public static final String TOKEN = "wk_test";

    public static RecordedRequest load(String name) {
        try (InputStream in = RecordedRequest.class.getResourceAsStream("/posthog/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture posthog/" + name);
            }
            JsonNode doc = EventCodec.mapper().readTree(in);
            return new RecordedRequest(name, doc.get("method").asText(), doc.get("url").asText(),
                    doc.hasNonNull("content_type") ? doc.get("content_type").asText() : null,
                    Base64.getDecoder().decode(doc.get("body_base64").asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The query parameters of {@link #url()}, decoded, first value of each. */
    public Map<String, String> query() {
        String raw = URI.create(url).getRawQuery();
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            out.putIfAbsent(java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8),
                    eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }

    public RecordedRequest withBody(byte[] newBody) {
        return new RecordedRequest(name, method, url, contentType, newBody);
    }

    public RecordedRequest withUrl(String newUrl) {
        return new RecordedRequest(name, method, newUrl, contentType, body);
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
