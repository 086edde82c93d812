package io.beacon.gateway.internal.posthog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.event.EventCodec;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The Java port against outputs of the JavaScript library itself (lz-string 1.5.0 from npm). */
class LzStringTest {
    private static final long NO_LIMIT = Long.MAX_VALUE;

    @Test
    void shouldDecompressWhatLzStringCompressed() throws Exception {
        JsonNode vectors;
        try (InputStream in = getClass().getResourceAsStream("/posthog/lz-string-1.5.0-vectors.json")) {
            vectors = EventCodec.mapper().readTree(in).get("vectors");
        }
        for (JsonNode v : vectors) {
            assertEquals(v.get("plain").asText(), LzString.decompressFromBase64(v.get("lz64").asText(), NO_LIMIT));
        }
    }

    @Test
    void shouldDecompressTheEmptyString() throws Exception {
        assertEquals("", LzString.decompressFromBase64("Q===", NO_LIMIT)); // LZString.compressToBase64("")
    }

    @Test
    void shouldRefuseTruncatedData() throws IOException {
        String full = vector(3);

        assertThrows(LzString.MalformedException.class, () -> LzString.decompressFromBase64(full.substring(0, full.length() / 2), NO_LIMIT));
    }

    @Test
    void shouldRefuseCharactersOutsideTheBase64Alphabet() {
        assertThrows(LzString.MalformedException.class, () -> LzString.decompressFromBase64("N4Ig*zg", NO_LIMIT));
    }

    @Test
    void shouldRefuseEmptyInput() {
        assertThrows(LzString.MalformedException.class, () -> LzString.decompressFromBase64("", NO_LIMIT));
    }

    @Test
    void shouldStopAtTheOutputBound() throws IOException {
        String thousandChars = vector(3); // "ab" x 500

        assertThrows(LzString.TooLargeException.class, () -> LzString.decompressFromBase64(thousandChars, 999));
    }

    private static String vector(int index) throws IOException {
        try (InputStream in = LzStringTest.class.getResourceAsStream("/posthog/lz-string-1.5.0-vectors.json")) {
            return EventCodec.mapper().readTree(in).get("vectors").get(index).get("lz64").asText();
        }
    }
}
