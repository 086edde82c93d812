package io.beacon.abtest.api.internal;

/** An error answer decided by the API layer itself; {@link ErrorResponses} renders it. */
public final class ApiProblem extends RuntimeException {
    private final int status;
    private final String code;
    private final String field;

    public ApiProblem(int status, String code, String message, String field) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public static ApiProblem badRequest(String code, String message, String field) {
        return new ApiProblem(400, code, message, field);
    }

    public static ApiProblem unauthorized(String message) {
        return new ApiProblem(401, "UNAUTHORIZED", message, null);
    }

    public static ApiProblem notFound(String message) {
        return new ApiProblem(404, "NOT_FOUND", message, null);
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
