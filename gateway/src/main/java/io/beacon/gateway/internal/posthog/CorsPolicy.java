package io.beacon.gateway.internal.posthog;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * Cross-origin rules of the PostHog endpoints (Fetch standard, "CORS protocol"): posthog-js runs on
 * the customer's pages and posts to Beacon's origin, with credentials when it uses
 * {@code sendBeacon}, so an allowed origin is echoed (never {@code *}) with
 * {@code Access-Control-Allow-Credentials: true}, and preflights are answered for the methods and
 * headers the SDK uses.
 */
public final class CorsPolicy {
    private static final String ALLOWED_METHODS = "GET, POST, OPTIONS";
    private static final String DEFAULT_ALLOWED_HEADERS = "Content-Type, Authorization, X-Requested-With";
    private static final String MAX_AGE_SECONDS = "86400";

    private final boolean anyOrigin;
    private final List<String> allowedOrigins;

    /** @param allowedOrigins origins such as {@code https://shop.example}; {@code "*"} allows all */
    public CorsPolicy(List<String> allowedOrigins) {
        this.anyOrigin = allowedOrigins.contains("*");
        this.allowedOrigins = allowedOrigins.stream().map(CorsPolicy::normalize).toList();
    }

    /** The request's {@code Origin}, when a browser sent one. */
    public static Optional<String> origin(HttpRequest request) {
        return request.getHeader("Origin").map(HttpHeader::value).map(String::trim).filter(o -> !o.isEmpty());
    }

    /** Whether a request from {@code origin} may be served: listed, any allowed, or the server's own origin. */
    public boolean allows(String origin, HttpRequest request) {
        if (anyOrigin) {
            return true;
        }
        String o = normalize(origin);
        if (allowedOrigins.contains(o)) {
            return true;
        }
        // pekko puts the Host header into the request URI: same scheme, host and port is our own origin
        try {
            URI uri = URI.create(o);
            Uri own = request.getUri();
            int port = uri.getPort() >= 0 ? uri.getPort() : ("https".equals(uri.getScheme()) ? 443 : 80);
            return uri.getHost() != null && uri.getHost().equalsIgnoreCase(own.host().address()) && port == own.getPort()
                    && own.scheme().equalsIgnoreCase(uri.getScheme());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The headers every answer to an allowed cross-origin request carries. */
    public List<HttpHeader> responseHeaders(Optional<String> origin) {
        List<HttpHeader> headers = new ArrayList<>(3);
        origin.ifPresent(o -> {
            headers.add(RawHeader.create("Access-Control-Allow-Origin", o));
            headers.add(RawHeader.create("Access-Control-Allow-Credentials", "true"));
        });
        headers.add(RawHeader.create("Vary", "Origin"));
        return headers;
    }

    /** The extra headers of a preflight ({@code OPTIONS}) answer. */
    public List<HttpHeader> preflightHeaders(HttpRequest request) {
        String requested = request.getHeader("Access-Control-Request-Headers").map(HttpHeader::value)
                .filter(v -> !v.isBlank()).orElse(DEFAULT_ALLOWED_HEADERS);
        return List.of(
                RawHeader.create("Access-Control-Allow-Methods", ALLOWED_METHODS),
                RawHeader.create("Access-Control-Allow-Headers", requested),
                RawHeader.create("Access-Control-Max-Age", MAX_AGE_SECONDS));
    }

    private static String normalize(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }
}
