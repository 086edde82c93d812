package io.beacon.abtest.exposure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.abtest.Assignment;
import io.beacon.abtest.UnitAttributes;
import io.beacon.event.RawEnvelope;
import io.beacon.event.WireFormat;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Builds {@value #EVENT_NAME} events (native wire format) for served assignments. The event id is a
 * hash of project, experiment, distinct id and variation, so every repeated exposure of a unit to the
 * same variation is the same event: the topology's dedup and the {@code events} table's
 * ReplacingMergeTree keep one, and the warehouse's {@code experiment_exposures} table (filled by a
 * materialized view on {@code events}) has one row per (project, experiment, unit, variation) — a unit
 * seen in two variations keeps two rows, which is how analyses find and exclude it.
 *
 * <p>Properties: {@code experiment_key}, {@code variation_key} (the two the warehouse reads; SDKs that
 * report exposures themselves must send at least these), {@code variation_index},
 * {@code bucket_version}, {@code hash_attribute}, {@code hash_value}, {@code source}.
 */
public final class ExposureEvents {
    public static final String EVENT_NAME = "$experiment_exposure";
    public static final String SOURCE = "beacon-assignment-api";

    private ExposureEvents() {
    }

    /** The distinct id the exposure is recorded under: user id, else device id, else the hashed value. */
    public static String distinctId(JsonNode attributes, Assignment a) {
        String user = UnitAttributes.text(attributes.get("user_id"));
        if (user != null) {
            return user;
        }
        String device = UnitAttributes.text(attributes.get("device_id"));
        return device != null ? device : a.hashValue();
    }

    /** The deterministic event id of an exposure. */
    public static String eventId(String project, String experimentKey, String distinctId, String variationKey) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {project, experimentKey, distinctId, variationKey}) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return "exp-" + HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The envelope for one served assignment at {@code nowMs}. */
    public static RawEnvelope envelope(String project, Assignment a, JsonNode attributes, long nowMs) {
        String distinct = distinctId(attributes, a);
        String user = UnitAttributes.text(attributes.get("user_id"));
        String device = UnitAttributes.text(attributes.get("device_id"));
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        String id = eventId(project, a.experimentKey(), distinct, a.variationKey());
        p.put("event_name", EVENT_NAME);
        p.put("event_id", id);
        if (user != null || device == null) {
            p.put("user_id", user != null ? user : distinct);
        }
        if (device != null) {
            p.put("device_id", device);
        }
        p.put("event_time", nowMs);
        p.put("library_name", SOURCE);
        ObjectNode props = p.putObject("properties");
        props.put("experiment_key", a.experimentKey());
        props.put("variation_key", a.variationKey());
        props.put("variation_index", a.variationIndex());
        props.put("bucket_version", a.bucketVersion());
        props.put("hash_attribute", a.hashAttribute());
        props.put("hash_value", a.hashValue());
        props.put("source", SOURCE);
        return new RawEnvelope(project, id, nowMs, null, null, WireFormat.NATIVE, p);
    }
}
