package io.beacon.event;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The strict field readers of the engine's wire-record codecs ({@link SegmentChangeCodec}, {@link ScoreChangeCodec},
 * {@link JourneyEventCodec}): a wrong or missing field throws {@link IllegalArgumentException} naming it.
 */
final class RecordFields {
    private RecordFields() {
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return v.asText();
    }

    static long integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToExactIntegral() || !v.canConvertToLong()) {
            throw new IllegalArgumentException(field + " must be an integer");
        }
        return v.asLong();
    }
}
