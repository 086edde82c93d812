package io.beacon.analytics.timeline;

import io.beacon.analytics.query.InvalidQueryException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The position of the last event of a page: {@code (event_time_ms, event_id)}. On the wire an opaque
 * base64url token ({@code v1:<ms>:<event id>}); clients must not build it. The next page holds the events
 * strictly after it in timeline order.
 */
public record TimelineCursor(long timeMs, String eventId) {
    private static final Pattern FORM = Pattern.compile("v1:(\\d{1,19}):(.{1,500})", Pattern.DOTALL);

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("v1:" + timeMs + ":" + eventId).getBytes(StandardCharsets.UTF_8));
    }

    public static TimelineCursor decode(String token) {
        try {
            if (token.length() > 1_000) {
                throw new IllegalArgumentException("too long");
            }
            Matcher m = FORM.matcher(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
            if (!m.matches()) {
                throw new IllegalArgumentException("not a cursor");
            }
            return new TimelineCursor(Long.parseLong(m.group(1)), m.group(2));
        } catch (IllegalArgumentException e) {
            throw new InvalidQueryException("cursor", "not a cursor this API issued (pass next_cursor unchanged)");
        }
    }
}
