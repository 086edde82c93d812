package io.beacon.httpkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;

/**
 * An error answer as a value: status, the {@link ErrorBody} fields, extra fields of the {@code error} object
 * ({@code current_version}, {@code experiments}) and headers ({@code Retry-After}, {@code WWW-Authenticate}).
 *
 * @param field   the JSON path of the offending value, or {@code null}
 * @param details extra fields of the {@code error} object, written after {@code field} in this order
 */
public record ApiError(int status, String code, String message, String field, Map<String, JsonNode> details,
                       List<HttpHeader> headers) {
    public ApiError {
        Objects.requireNonNull(code, "code");
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
        headers = List.copyOf(headers);
    }

    public static ApiError of(int status, String code, String message, String field) {
        return new ApiError(status, code, message, field, Map.of(), List.of());
    }

    /** This error with {@code name: value} added to the {@code error} object. */
    public ApiError withDetail(String name, JsonNode value) {
        Map<String, JsonNode> more = new LinkedHashMap<>(details);
        more.put(name, value);
        return new ApiError(status, code, message, field, more, headers);
    }

    public ApiError withHeader(HttpHeader header) {
        List<HttpHeader> more = new ArrayList<>(headers);
        more.add(header);
        return new ApiError(status, code, message, field, details, more);
    }

    /** This error with {@code Retry-After: seconds}. */
    public ApiError withRetryAfter(long seconds) {
        return withHeader(RetryAfter.create(seconds));
    }

    /** {@code {"error":{"code","message","field"?, …details}}}. */
    public ObjectNode body() {
        ObjectNode root = ErrorBody.of(code, message, field);
        ObjectNode error = (ObjectNode) root.get("error");
        details.forEach(error::set);
        return root;
    }

    public HttpResponse toResponse() {
        return Json.response(status, body()).addHeaders(headers);
    }
}
