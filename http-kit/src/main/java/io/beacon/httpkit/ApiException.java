package io.beacon.httpkit;

/**
 * An error answer decided by a routes layer itself, with its HTTP status (bad request shape,
 * authentication, a body too large). Domain code throws {@link io.beacon.event.RefusedException} or its
 * own exceptions instead; {@link ApiErrors} turns all of them into the response.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final String field;

    public ApiException(int status, String code, String message, String field) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public static ApiException badRequest(String code, String message, String field) {
        return new ApiException(400, code, message, field);
    }

    /** 401 {@code UNAUTHORIZED}; the answer carries {@code WWW-Authenticate: Bearer}. */
    public static ApiException unauthorized(String message) {
        return new ApiException(401, "UNAUTHORIZED", message, null);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "FORBIDDEN", message, null);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "NOT_FOUND", message, null);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }
}
