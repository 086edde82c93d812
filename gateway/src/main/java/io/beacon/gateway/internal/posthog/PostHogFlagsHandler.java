package io.beacon.gateway.internal.posthog;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.event.EventCodec;
import io.beacon.event.posthog.PostHogRequest;
import io.beacon.gateway.FeatureFlags;
import io.beacon.gateway.GatewaySettings;
import io.beacon.gateway.WriteKeys;
import io.beacon.gateway.internal.CollectionHandler;
import io.beacon.gateway.internal.HttpErrors;
import io.beacon.gateway.internal.RequestBodyReader;
import io.beacon.gateway.internal.RequestRefusedException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers posthog-js's {@code /flags} and {@code /decide}: reads the body like a capture body (all
 * encodings, {@link PostHogPayload}), takes the project from its {@code token} (write key) and the user
 * from {@code distinct_id}, and asks the {@link FeatureFlags} port. The answer is always 200, so the
 * SDK keeps working: without a known token or a {@code distinct_id}, or with a body that cannot be
 * read, there are no flags; when the port fails, {@code errorsWhileComputingFlags} is true.
 */
public final class PostHogFlagsHandler {
    private static final Logger LOG = LoggerFactory.getLogger(PostHogFlagsHandler.class);

    private final GatewaySettings settings;
    private final WriteKeys writeKeys;
    private final FeatureFlags flags;

    public PostHogFlagsHandler(GatewaySettings settings, WriteKeys writeKeys, FeatureFlags flags) {
        this.settings = settings;
        this.writeKeys = writeKeys;
        this.flags = flags;
    }

    public CompletionStage<HttpResponse> handle(HttpRequest request, Materializer materializer) {
        Map<String, String> query = request.getUri().query().toMap();
        String method = request.method().value();
        String contentType = request.entity().getContentType().mediaType().toString();
        return RequestBodyReader.read(request, settings.maxRequestBytes(), materializer)
                .thenApply(bytes -> HttpErrors.json(StatusCodes.OK, answer(method, contentType, query, bytes)));
    }

    private JsonNode answer(String method, String contentType, Map<String, String> query, ByteString bytes) {
        JsonNode body;
        try {
            if (bytes.isEmpty() && !query.containsKey("data")) {
                body = EventCodec.mapper().createObjectNode();
            } else {
                PostHogPayload.Decoded decoded = PostHogPayload.decode(method, contentType, query, bytes.toArray(), settings.maxRequestBytes());
                body = CollectionHandler.parse(ByteString.fromArray(decoded.json()));
            }
        } catch (RequestRefusedException e) {
            return RemoteConfig.flags(); // unreadable: no flags, as before flags existed
        }
        Optional<String> project = PostHogRequest.token(body).or(() -> Optional.ofNullable(query.get("token")))
                .flatMap(writeKeys::projectFor);
        String distinctId = text(body.get("distinct_id"));
        if (project.isEmpty() || distinctId == null) {
            return RemoteConfig.flags();
        }
        Map<String, Object> properties = properties(body);
        try {
            Map<String, Object> values = flags.flagsFor(project.get(), distinctId, properties);
            return RemoteConfig.flags(values == null ? Map.of() : values, false);
        } catch (RuntimeException e) {
            LOG.warn("feature flags of project {} could not be computed: {}", project.get(), e.toString());
            return RemoteConfig.flags(Map.of(), true);
        }
    }

    /** {@code person_properties} (scalars only) plus {@code $device_id}. */
    private static Map<String, Object> properties(JsonNode body) {
        Map<String, Object> out = new HashMap<>();
        JsonNode person = body.get("person_properties");
        if (person != null && person.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = person.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = e.getValue();
                if (v.isTextual()) {
                    out.put(e.getKey(), v.asText());
                } else if (v.isBoolean()) {
                    out.put(e.getKey(), v.asBoolean());
                } else if (v.isNumber()) {
                    out.put(e.getKey(), v.numberValue());
                }
            }
        }
        String deviceId = text(body.get("$device_id"));
        if (deviceId != null) {
            out.put("$device_id", deviceId);
        }
        return out;
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isContainerNode()) {
            return null;
        }
        String s = node.asText().trim();
        return s.isEmpty() ? null : s;
    }
}
