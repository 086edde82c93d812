package io.beacon.abtest.api.internal;

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

/** Request and response JSON of the A/B testing API (the control plane's conventions: snake_case). */
public final class JsonBodies {
    private JsonBodies() {
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
            throw ApiProblem.badRequest("MALFORMED_JSON", "the body is not valid JSON", null);
        }
        if (node == null || !node.isObject()) {
            throw ApiProblem.badRequest("NOT_AN_OBJECT", "the body must be a JSON object", null);
        }
        return (ObjectNode) node;
    }

    /**
     * {@code node} bound to {@code type}; a wrong JSON type or unknown enum value becomes
     * {@link InvalidDocumentException} naming the field ({@code variations[1].weight}).
     */
    public static <T> T bind(JsonNode node, Class<T> type) {
        JsonNode doc = node;
        if (node.isObject() && node.has("version")) {
            // the expected version travels in the body but is not part of the document
            doc = ((ObjectNode) node).deepCopy();
            ((ObjectNode) doc).remove("version");
        }
        try {
            // a misspelt field ("goal" for "goal_metrics") must be refused, not silently dropped
            return ConfigJson.mapper().readerFor(type)
                    .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(doc);
        } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
            throw InvalidDocumentException.of(field(e), "unknown field '" + e.getPropertyName() + "'");
        } catch (JsonMappingException e) {
            throw InvalidDocumentException.of(field(e), reason(e));
        } catch (IOException e) {
            throw ApiProblem.badRequest("MALFORMED_JSON", "the body is not valid JSON", null);
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
        return t instanceof IllegalArgumentException ? t.getMessage() : "has the wrong JSON type";
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
