package io.beacon.httpkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.event.EventCodec;
import java.io.IOException;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/** JSON entities of Beacon's HTTP APIs, read and written with the event model's mapper (snake_case). */
public final class Json {
    private Json() {
    }

    public static ObjectMapper mapper() {
        return EventCodec.mapper();
    }

    /**
     * The body as a JSON object; an empty body is {@code {}}.
     *
     * @throws ApiException 400 {@code MALFORMED_JSON} or {@code NOT_AN_OBJECT}
     */
    public static ObjectNode parseObject(byte[] body) {
        if (body.length == 0) {
            return mapper().createObjectNode();
        }
        JsonNode node = tree(body).orElseThrow(Json::malformed);
        if (!node.isObject()) {
            throw ApiException.badRequest("NOT_AN_OBJECT", "the body must be a JSON object", null);
        }
        return (ObjectNode) node;
    }

    /** The body as a JSON tree (a missing node when empty), or empty when it is not JSON. */
    public static Optional<JsonNode> tree(byte[] body) {
        try {
            JsonNode node = mapper().readTree(body);
            return Optional.of(node == null ? MissingNode.getInstance() : node);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** 400 {@code MALFORMED_JSON}. */
    public static ApiException malformed() {
        return ApiException.badRequest("MALFORMED_JSON", "the body is not valid JSON", null);
    }

    /** {@code status} with {@code body} as {@code application/json}. */
    public static HttpResponse response(int status, JsonNode body) {
        try {
            return response(status, mapper().writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /** {@code status} with {@code json}, already encoded, as {@code application/json}. */
    public static HttpResponse response(int status, byte[] json) {
        return HttpResponse.create()
                .withStatus(StatusCodes.get(status))
                .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, json));
    }
}
