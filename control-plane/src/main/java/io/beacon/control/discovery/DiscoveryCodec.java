package io.beacon.control.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.store.ConfigJson;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON of a {@link DiscoveredItem} on {@link DiscoveryTopic} (and in the API):
 * <pre>
 * {"project":"shop","kind":"property","name":"coupon","volume":42,"first_seen":1764000000000,
 *  "last_seen":1764000300000,"type_counts":{"number":40,"string":2},"inferred_type":"string"}
 * </pre>
 * Times are epoch ms ({@code received_at}); {@code inferred_type} is derived
 * ({@link DiscoveredItem#inferredType()}) and absent when none can be inferred. Unknown fields are
 * ignored on read.
 */
public final class DiscoveryCodec {
    private DiscoveryCodec() {
    }

    public static ObjectNode toJson(DiscoveredItem item) {
        ObjectNode o = ConfigJson.mapper().createObjectNode();
        o.put("project", item.project());
        o.put("kind", item.kind().wireName());
        o.put("name", item.name());
        o.put("volume", item.volume());
        o.put("first_seen", item.firstSeen());
        o.put("last_seen", item.lastSeen());
        ObjectNode counts = o.putObject("type_counts");
        item.typeCounts().forEach(counts::put);
        item.inferredType().ifPresent(t -> o.put("inferred_type", t.wireName()));
        return o;
    }

    public static byte[] encode(DiscoveredItem item) {
        try {
            return ConfigJson.mapper().writeValueAsBytes(toJson(item));
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /**
     * @throws IllegalArgumentException when {@code bytes} are not a discovered item
     */
    public static DiscoveredItem decode(byte[] bytes) {
        JsonNode n;
        try {
            n = ConfigJson.mapper().readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject() || !n.path("project").isTextual() || !n.path("name").isTextual()) {
            throw new IllegalArgumentException("not a discovered item");
        }
        DiscoveryKind kind = DiscoveryKind.fromWire(n.path("kind").asText())
                .orElseThrow(() -> new IllegalArgumentException("unknown kind " + n.path("kind")));
        Map<String, Long> counts = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.path("type_counts").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            counts.put(e.getKey(), e.getValue().asLong());
        }
        return new DiscoveredItem(n.get("project").asText(), kind, n.get("name").asText(), n.path("volume").asLong(),
                n.path("first_seen").asLong(), n.path("last_seen").asLong(), counts);
    }
}
