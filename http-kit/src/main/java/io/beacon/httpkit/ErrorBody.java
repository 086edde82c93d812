package io.beacon.httpkit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The error body of every Beacon HTTP answer: {@code {"error":{"code","message","field"?}}}. */
public final class ErrorBody {
    private ErrorBody() {
    }

    /** {@code {"error":{"code":…,"message":…,"field":…}}}, {@code field} left out when {@code null}. */
    public static ObjectNode of(String code, String message, String field) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        fill(root.putObject("error"), code, message, field);
        return root;
    }

    /** Puts {@code code}, {@code message} and (when not {@code null}) {@code field} into {@code node}; returns it. */
    public static ObjectNode fill(ObjectNode node, String code, String message, String field) {
        node.put("code", code);
        node.put("message", message);
        if (field != null) {
            node.put("field", field);
        }
        return node;
    }
}
