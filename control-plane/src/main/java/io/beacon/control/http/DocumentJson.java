package io.beacon.control.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.InvalidDocumentException;
import io.beacon.control.store.ConfigJson;
import io.beacon.httpkit.Json;
import java.io.IOException;

/**
 * Request bodies bound to config documents (the config store's mapper): a field of the wrong JSON type or
 * with an unknown enum value becomes {@link InvalidDocumentException} naming the field (e.g. {@code type},
 * {@code required_properties[1]}).
 */
public final class DocumentJson {
    private DocumentJson() {
    }

    /** {@code node} bound to {@code type}; unknown fields are dropped. */
    public static <T> T bind(JsonNode node, Class<T> type) {
        try {
            return ConfigJson.mapper().treeToValue(node, type);
        } catch (JsonMappingException e) {
            throw InvalidDocumentException.of(field(e), reason(e));
        } catch (JsonProcessingException e) {
            throw Json.malformed();
        }
    }

    /**
     * Like {@link #bind} but refuses fields the document does not have ({@code "goal"} for
     * {@code "goal_metrics"}) instead of dropping them; a body {@code version} (the expected version of
     * an update) is not part of the document and is ignored.
     */
    public static <T> T bindStrict(JsonNode node, Class<T> type) {
        JsonNode doc = node;
        if (node.isObject() && node.has("version")) {
            doc = node.deepCopy();
            ((ObjectNode) doc).remove("version");
        }
        try {
            return ConfigJson.mapper().readerFor(type)
                    .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(doc);
        } catch (UnrecognizedPropertyException e) {
            throw InvalidDocumentException.of(field(e), "unknown field '" + e.getPropertyName() + "'");
        } catch (JsonMappingException e) {
            throw InvalidDocumentException.of(field(e), reason(e));
        } catch (IOException e) {
            throw Json.malformed();
        }
    }

    private static String field(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "body" : sb.toString();
    }

    private static String reason(JsonMappingException e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        if (t instanceof IllegalArgumentException) {
            return t.getMessage();
        }
        return "has the wrong JSON type";
    }
}
