package io.beacon.cdp.send;

/**
 * What one attempt got back: an HTTP status with its {@code Retry-After} and (truncated) body, or a transport
 * failure with no status.
 *
 * @param status     the HTTP status, 0 when there was no response
 * @param retryAfter the {@code Retry-After} header, {@code null} when absent
 * @param body       the response body, cut to a few KB, {@code null} when none
 * @param latencyMs  request start → response or failure
 * @param failure    why there is no response, {@code null} when there is one
 * @param error      a short description of the failure (no secrets), {@code null} on a response
 */
public record SendResult(int status, String retryAfter, String body, long latencyMs, Failure failure, String error) {

    /** Why an attempt got no HTTP response. */
    public enum Failure {
        /** No response within the request timeout. */
        TIMEOUT,
        /** The connection could not be made or broke. */
        CONNECT_FAILED,
        /** The URL resolved to an address the outbound policy refuses. */
        BLOCKED_ADDRESS,
        /** The message could not be turned into a request (template, mapping). */
        RENDER_FAILED
    }

    public static SendResult response(int status, String retryAfter, String body, long latencyMs) {
        return new SendResult(status, retryAfter, body, latencyMs, null, null);
    }

    public static SendResult failed(Failure failure, String error, long latencyMs) {
        return new SendResult(0, null, null, latencyMs, failure, error);
    }

    /** The same result, measured as taking {@code ms}. */
    public SendResult withLatency(long ms) {
        return new SendResult(status, retryAfter, body, ms, failure, error);
    }
}
