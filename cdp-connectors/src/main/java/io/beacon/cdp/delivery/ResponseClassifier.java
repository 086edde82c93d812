package io.beacon.cdp.delivery;

import io.beacon.event.cdp.ErrorClass;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns a delivery attempt's answer into a {@link Verdict}, following the Standard Webhooks status etiquette:
 * 2xx delivered; 410 gone (disable the destination); 429, 502, 503, 504 throttle, honouring {@code Retry-After};
 * 408, 409, 425 and other 5xx retry; other 4xx permanent.
 *
 * <p>1xx and 3xx are permanent too: redirects are not followed, because the target of a redirect is chosen by the
 * receiver at send time and could be a loopback or private address that the destination's validated URL never
 * was (server-side request forgery); the fix is to update the destination's URL.
 *
 * <p>A pure function: the current time is a parameter, for {@code Retry-After} given as an HTTP-date.
 */
public final class ResponseClassifier {
    /** The longest {@code Retry-After} honoured; a longer one is cut to this (the schedule continues after it). */
    public static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    /** Why an attempt got no HTTP response. */
    public enum TransportFailure {
        /** No complete response within the request timeout. */
        TIMEOUT,
        /** Connection refused or reset, DNS failure, TLS failure. */
        CONNECT_FAILED,
        /** The URL resolved to an address the outbound policy refuses (loopback, private, link-local). */
        BLOCKED_ADDRESS
    }

    private ResponseClassifier() {
    }

    /**
     * @param status     the HTTP status received
     * @param retryAfter the {@code Retry-After} header as sent ({@code null} when absent): delta-seconds or an
     *                   HTTP-date (IMF-fixdate); anything else is ignored
     * @param nowMs      the current time (epoch ms), for an HTTP-date
     */
    public static Verdict ofStatus(int status, String retryAfter, long nowMs) {
        if (status >= 200 && status <= 299) {
            return new Verdict.Delivered(status);
        }
        if (status == 410) {
            return new Verdict.Gone(status, "410 Gone: the receiver asked for no more webhooks");
        }
        if (status == 429 || status == 502 || status == 503 || status == 504) {
            Optional<Duration> after = parseRetryAfter(retryAfter, nowMs);
            return new Verdict.Throttle(status, after, status + " from the receiver: throttled"
                    + after.map(d -> ", Retry-After " + d.toSeconds() + " s").orElse(""));
        }
        if (status == 408 || status == 409 || status == 425) {
            return new Verdict.Retry(status, status + " from the receiver: retried");
        }
        if (status >= 400 && status <= 499) {
            return new Verdict.Permanent(status, ErrorClass.REJECTED, status + " from the receiver: the message is refused");
        }
        if ((status >= 100 && status <= 199) || (status >= 300 && status <= 399)) {
            return new Verdict.Permanent(status, ErrorClass.REJECTED,
                    status + " from the receiver: redirects are not followed, update the destination URL");
        }
        return new Verdict.Retry(status, status + " from the receiver: retried");
    }

    /** An attempt without an HTTP response; {@code detail} (no secrets) is kept in the reason. */
    public static Verdict ofFailure(TransportFailure failure, String detail) {
        Objects.requireNonNull(failure, "failure");
        String suffix = detail == null || detail.isBlank() ? "" : ": " + detail;
        return switch (failure) {
            case TIMEOUT -> new Verdict.Retry(0, "timed out" + suffix);
            case CONNECT_FAILED -> new Verdict.Retry(0, "connection failed" + suffix);
            case BLOCKED_ADDRESS -> new Verdict.Permanent(0, ErrorClass.BLOCKED_ADDRESS, "blocked address" + suffix);
        };
    }

    /**
     * {@code Retry-After} as a wait from {@code nowMs}, at most {@link #MAX_RETRY_AFTER}; a date in the past is
     * zero; empty when absent or not a valid value.
     */
    public static Optional<Duration> parseRetryAfter(String header, long nowMs) {
        if (header == null) {
            return Optional.empty();
        }
        String v = header.strip();
        if (v.matches("[0-9]+")) {
            try {
                return Optional.of(cap(Duration.ofSeconds(Long.parseLong(v))));
            } catch (NumberFormatException e) {
                return Optional.of(MAX_RETRY_AFTER);
            }
        }
        try {
            long atMs = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
            return Optional.of(cap(Duration.ofMillis(Math.max(0, atMs - nowMs))));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Duration cap(Duration d) {
        return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
    }
}
