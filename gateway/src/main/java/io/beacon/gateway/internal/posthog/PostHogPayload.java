package io.beacon.gateway.internal.posthog;

import io.beacon.event.RejectionCode;
import io.beacon.gateway.internal.RequestRefusedException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Undoes the encodings PostHog SDKs put on a capture body, giving the JSON text. Pure.
 *
 * <p>What posthog-js sends (recorded from 1.449 in Chromium; the older forms from earlier
 * versions, which PostHog's capture endpoint still accepts):
 * <ul>
 *   <li>gzip ({@code compression=gzip-js}, the default once the remote config lists it): a raw
 *       gzip body as {@code text/plain}, recognized by its magic bytes {@code 1f 8b}; newer
 *       versions drop the {@code compression} query parameter and rely on the magic bytes.</li>
 *   <li>base64 ({@code compression=base64}, and every {@code sendBeacon} without gzip): an
 *       {@code application/x-www-form-urlencoded} body {@code data=<base64 of the JSON>}.</li>
 *   <li>lz64 (older versions): {@code data=<LZString.compressToBase64(JSON)>}, with
 *       {@code compression=lz64} in the query or in the form.</li>
 *   <li>GET (old image transport): the same {@code data=} in the query string.</li>
 *   <li>plain JSON ({@code application/json}) when compression is off.</li>
 * </ul>
 * A {@code data} value that already starts with {@code {} or {@code [} is taken as JSON. Spaces
 * in base64 are read as {@code +} (a form encoder that did not escape {@code +}).
 *
 * <p>Decompression-bomb guard: every decoded or inflated result is bounded by {@code maxBytes}
 * while it is produced; beyond it the request is refused with {@code REQUEST_TOO_LARGE} (413).
 * Undecodable input (truncated gzip, bad base64, bad lz64) is {@code MALFORMED_JSON} (400).
 */
public final class PostHogPayload {
    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;

    private PostHogPayload() {
    }

    /** Which encoding a body used, for logs and tests. */
    public enum Encoding { JSON, GZIP, BASE64, LZ64 }

    /** A decoded body: the JSON bytes and how they were encoded. */
    public record Decoded(byte[] json, Encoding encoding) {
    }

    /**
     * Decodes a capture request.
     *
     * @param method      the HTTP method, upper case
     * @param contentType the request's media type ({@code application/json}, …), or empty
     * @param query       the URL query parameters (first value of each)
     * @param body        the body bytes, after any HTTP {@code Content-Encoding} was undone
     * @param maxBytes    the most bytes the decoded JSON may have
     * @throws RequestRefusedException MALFORMED_JSON or REQUEST_TOO_LARGE
     */
    public static Decoded decode(String method, String contentType, Map<String, String> query, byte[] body, long maxBytes) {
        String compression = normalize(query.get("compression"));
        String data = null;
        if ("GET".equals(method) || body.length == 0) {
            data = query.get("data");
            if (data == null) {
                throw refused("the request has no events: send them in the body, or as data= in the query");
            }
        } else if (isForm(contentType, body)) {
            Map<String, String> form = parseForm(body);
            data = form.get("data");
            if (data == null) {
                throw refused("the form body has no \"data\" field");
            }
            if (compression == null) {
                compression = normalize(form.get("compression"));
            }
        }
        Decoded decoded = data != null ? decodeText(data, compression, maxBytes) : decodeBody(body, compression, maxBytes);
        if (decoded.json().length > maxBytes) {
            throw tooLarge(maxBytes);
        }
        return decoded;
    }

    private static Decoded decodeBody(byte[] body, String compression, long maxBytes) {
        if (isGzip(body)) {
            return new Decoded(gunzip(body, maxBytes), Encoding.GZIP);
        }
        if ("gzip".equals(compression)) {
            throw refused("compression=" + compression + " but the body is not gzip data");
        }
        if ("lz64".equals(compression) || "base64".equals(compression)) {
            return decodeText(new String(body, StandardCharsets.ISO_8859_1), compression, maxBytes);
        }
        return new Decoded(body, Encoding.JSON);
    }

    /** A {@code data} value: JSON as is, lz-string, or base64 (of JSON or of gzip). */
    private static Decoded decodeText(String data, String compression, long maxBytes) {
        String text = data.trim();
        if ("lz64".equals(compression)) {
            try {
                String json = LzString.decompressFromBase64(text.replace(' ', '+'), maxBytes);
                return new Decoded(json.getBytes(StandardCharsets.UTF_8), Encoding.LZ64);
            } catch (LzString.MalformedException e) {
                throw refused("the lz64 data could not be decompressed: " + e.getMessage());
            } catch (LzString.TooLargeException e) {
                throw tooLarge(maxBytes);
            }
        }
        if (text.startsWith("{") || text.startsWith("[")) {
            return new Decoded(text.getBytes(StandardCharsets.UTF_8), Encoding.JSON);
        }
        byte[] bytes = base64(text.replace(' ', '+'));
        if (isGzip(bytes)) {
            return new Decoded(gunzip(bytes, maxBytes), Encoding.BASE64);
        }
        return new Decoded(bytes, Encoding.BASE64);
    }

    private static byte[] base64(String text) {
        String stripped = text.replace("\n", "").replace("\r", "");
        try {
            return Base64.getDecoder().decode(stripped);
        } catch (IllegalArgumentException standard) {
            try {
                return Base64.getUrlDecoder().decode(stripped);
            } catch (IllegalArgumentException urlSafe) {
                throw refused("the data is neither JSON nor valid base64: " + standard.getMessage());
            }
        }
    }

    /** Inflates at most {@code maxBytes} (+1 to detect more); a truncated or corrupt stream is malformed. */
    private static byte[] gunzip(byte[] gzip, long maxBytes) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip), 8192)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(gzip.length * 4, 64 * 1024));
            byte[] buffer = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) != -1) {
                total += n;
                if (total > maxBytes) {
                    throw tooLarge(maxBytes);
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (EOFException e) {
            throw refused("the gzip data is truncated");
        } catch (IOException e) {
            throw refused("the gzip data could not be decompressed: " + e.getMessage());
        }
    }

    private static boolean isGzip(byte[] bytes) {
        return bytes.length >= 2 && (bytes[0] & 0xff) == GZIP_MAGIC_0 && (bytes[1] & 0xff) == GZIP_MAGIC_1;
    }

    private static boolean isForm(String contentType, byte[] body) {
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return true;
        }
        // sendBeacon and some proxies lose the content type; "data=" cannot start JSON or gzip.
        return body.length >= 5 && body[0] == 'd' && body[1] == 'a' && body[2] == 't' && body[3] == 'a' && body[4] == '=';
    }

    /** {@code application/x-www-form-urlencoded} (HTML 5, "URL-encoded form data"): first value of each name. */
    static Map<String, String> parseForm(byte[] body) {
        Map<String, String> out = new LinkedHashMap<>();
        String text = new String(body, StandardCharsets.ISO_8859_1).trim();
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                out.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw refused("the form body is not valid URL encoding: " + e.getMessage());
            }
        }
        return out;
    }

    /** gzip-js and gzip are the same thing on the wire; anything else is passed on lower-cased. */
    private static String normalize(String compression) {
        if (compression == null || compression.isBlank()) {
            return null;
        }
        String c = compression.trim().toLowerCase(Locale.ROOT);
        return c.equals("gzip-js") ? "gzip" : c;
    }

    private static RequestRefusedException refused(String message) {
        return RequestRefusedException.of(RejectionCode.MALFORMED_JSON, message);
    }

    private static RequestRefusedException tooLarge(long maxBytes) {
        return RequestRefusedException.of(RejectionCode.REQUEST_TOO_LARGE,
                "the request body is larger than " + maxBytes + " bytes when decoded");
    }
}
