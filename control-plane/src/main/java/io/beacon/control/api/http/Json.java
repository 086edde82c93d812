package io.beacon.control.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.InvalidDocumentException;
import io.beacon.control.store.ConfigJson;
import java.io.IOException;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/** Request/response JSON of Beacon's HTTP APIs (snake_case, the config store's mapper). */
public final class Json {
    private Json() {
    }

    /** The body as a JSON object; an empty body is {@code {}}. */
    public static ObjectNode parseObject(byte[] body) {
        if (body.length == 0) {
            return ConfigJson.mapper().createObjectNode();
        }
        JsonNode node;
        try {
            node = ConfigJson.mapper().readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("MALFORMED_JSON", "the body is not valid JSON", null);
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("NOT_AN_OBJECT", "the body must be a JSON object", null);
        }
        return (ObjectNode) node;
    }

    /**
     * {@code node} bound to {@code type}; a field of the wrong JSON type or with an unknown enum value
     * becomes {@link InvalidDocumentException} naming the field (e.g. {@code type},
     * {@code required_properties[1]}).
     */
    public static <T> T bind(JsonNode node, Class<T> type) {
        try {
            return ConfigJson.mapper().treeToValue(node, type);
        } catch (JsonMappingException e) {
            throw InvalidDocumentException.of(field(e), reason(e));
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("MALFORMED_JSON", "the body is not valid JSON", null);
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
                    .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(doc);
        } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
            throw InvalidDocumentException.of(field(e), "unknown field '" + e.getPropertyName() + "'");
        } catch (JsonMappingException e) {
            throw InvalidDocumentException.of(field(e), reason(e));
        } catch (IOException e) {
            throw ApiException.badRequest("MALFORMED_JSON", "the body is not valid JSON", null);
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

    public static HttpResponse response(int status, JsonNode body) {
        try {
            return HttpResponse.create()
                    .withStatus(StatusCodes.get(status))
                    .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, ConfigJson.mapper().writeValueAsBytes(body)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }
}
