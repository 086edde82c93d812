package io.beacon.gateway.internal.posthog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.event.EventCodec;
import io.beacon.event.RejectionCode;
import io.beacon.gateway.internal.RequestRefusedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every encoding posthog-js produces (recorded from the browser run) or produced (derived), and broken variants. */
class PostHogPayloadTest {
    private static final long LIMIT = 500 * 1024;

    @Test
    void shouldInflateRecordedGzipBodyByItsMagicBytes() {
        RecordedRequest r = RecordedRequest.load("recorded/gzip-checkout-purchase-pageleave.json");

        PostHogPayload.Decoded d = decode(r);

        assertEquals(PostHogPayload.Encoding.GZIP, d.encoding());
        assertEquals(List.of("$autocapture", "$autocapture", "$autocapture", "$autocapture", "purchase", "$pageleave"), eventNames(d));
    }

    @Test
    void shouldDecodeRecordedBase64FormBody() {
        RecordedRequest r = RecordedRequest.load("recorded/base64-form-checkout-purchase-pageleave.json");

        PostHogPayload.Decoded d = decode(r);

        assertEquals(PostHogPayload.Encoding.BASE64, d.encoding());
        assertTrue(eventNames(d).contains("purchase"), eventNames(d).toString());
    }

    @Test
    void shouldPassRecordedPlainJsonThrough() {
        PostHogPayload.Decoded d = decode(RecordedRequest.load("recorded/json-identify.json"));

        assertEquals(PostHogPayload.Encoding.JSON, d.encoding());
        assertEquals(List.of("$identify"), eventNames(d));
    }

    @Test
    void shouldDecompressLz64FormField() {
        PostHogPayload.Decoded d = decode(RecordedRequest.load("derived/lz64-form.json"));

        assertEquals(PostHogPayload.Encoding.LZ64, d.encoding());
        assertEquals(List.of("$autocapture", "$autocapture"), eventNames(d));
    }

    @Test
    void shouldDecompressLz64NamedInTheQuery() {
        PostHogPayload.Decoded d = decode(RecordedRequest.load("derived/lz64-query.json"));

        assertEquals(List.of("$autocapture", "$autocapture"), eventNames(d));
    }

    @Test
    void shouldDecodeGetDataParameter() throws IOException {
        PostHogPayload.Decoded d = decode(RecordedRequest.load("derived/get-data.json"));

        JsonNode event = EventCodec.mapper().readTree(d.json());
        assertEquals("$pageview", event.get("event").asText());
        assertEquals("https://shop.example/?q=é", event.path("properties").path("$current_url").asText());
    }

    @Test
    void shouldReadFormWithoutContentType() {
        // sendBeacon through some proxies arrives without its content type
        RecordedRequest r = RecordedRequest.load("recorded/base64-form-autocapture.json");

        PostHogPayload.Decoded d = PostHogPayload.decode("POST", "", r.query(), r.body(), LIMIT);

        assertEquals(PostHogPayload.Encoding.BASE64, d.encoding());
    }

    @Test
    void shouldReadSpacesInBase64AsPlus() {
        byte[] json = "{\"event\":\"e>>?\",\"distinct_id\":\"u\"}".getBytes(StandardCharsets.UTF_8);
        String b64 = Base64.getEncoder().encodeToString(json);
        assertTrue(b64.contains("+"), b64);

        PostHogPayload.Decoded d = PostHogPayload.decode("POST", "application/x-www-form-urlencoded", Map.of(),
                ("data=" + b64).getBytes(StandardCharsets.US_ASCII), LIMIT); // '+' not escaped: decodes to ' '

        assertEquals(new String(json, StandardCharsets.UTF_8), new String(d.json(), StandardCharsets.UTF_8));
    }

    @Test
    void shouldRefuseTruncatedGzip() {
        RecordedRequest r = RecordedRequest.load("recorded/gzip-pageview.json");

        assertRefused(RejectionCode.MALFORMED_JSON, r.withBody(Arrays.copyOf(r.body(), r.body().length / 2)));
    }

    @Test
    void shouldRefuseCorruptGzip() {
        RecordedRequest r = RecordedRequest.load("recorded/gzip-pageview.json");
        byte[] corrupt = r.body().clone();
        for (int i = 12; i < corrupt.length; i += 7) {
            corrupt[i] ^= 0x5a;
        }

        assertRefused(RejectionCode.MALFORMED_JSON, r.withBody(corrupt));
    }

    @Test
    void shouldRefuseGzipCompressionWithoutGzipBody() {
        RecordedRequest r = RecordedRequest.load("recorded/json-identify.json").withUrl("/e/?compression=gzip-js");

        assertRefused(RejectionCode.MALFORMED_JSON, r);
    }

    @Test
    void shouldRefuseBadBase64() {
        RecordedRequest r = RecordedRequest.load("recorded/base64-form-autocapture.json")
                .withBody("data=eyJldmVudCI6I%21%21%21notbase64".getBytes(StandardCharsets.US_ASCII));

        assertRefused(RejectionCode.MALFORMED_JSON, r);
    }

    @Test
    void shouldRefuseBadLz64() {
        RecordedRequest r = RecordedRequest.load("derived/lz64-form.json")
                .withBody("data=N4Ig*bad*&compression=lz64".getBytes(StandardCharsets.US_ASCII));

        assertRefused(RejectionCode.MALFORMED_JSON, r);
    }

    @Test
    void shouldRefuseTruncatedLz64() {
        RecordedRequest r = RecordedRequest.load("derived/lz64-query.json"); // compression=lz64 in the query
        String body = new String(r.body(), StandardCharsets.US_ASCII);

        assertRefused(RejectionCode.MALFORMED_JSON, r.withBody(body.substring(0, body.length() / 2).getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void shouldRefuseFormWithoutDataField() {
        RecordedRequest r = RecordedRequest.load("recorded/base64-form-autocapture.json")
                .withBody("compression=base64".getBytes(StandardCharsets.US_ASCII));

        assertRefused(RejectionCode.MALFORMED_JSON, r);
    }

    @Test
    void shouldRefuseGetWithoutData() {
        RecordedRequest r = RecordedRequest.load("derived/get-data.json").withUrl("/e/?ip=1");

        assertRefused(RejectionCode.MALFORMED_JSON, r);
    }

    @Test
    void shouldStopGzipBombAtTheLimit() {
        // 50 MB of zeros gzip to ~50 KB; inflation stops after LIMIT bytes
        byte[] bomb = RecordedRequest.gzip(new byte[50 * 1024 * 1024]);

        assertRefused(RejectionCode.REQUEST_TOO_LARGE, RecordedRequest.load("recorded/gzip-pageview.json").withBody(bomb));
    }

    @Test
    void shouldStopBase64GzipBombAtTheLimit() {
        byte[] bomb = RecordedRequest.gzip(new byte[20 * 1024 * 1024]);
        byte[] body = ("data=" + Base64.getEncoder().encodeToString(bomb)).getBytes(StandardCharsets.US_ASCII);

        assertRefused(RejectionCode.REQUEST_TOO_LARGE, RecordedRequest.load("recorded/base64-form-autocapture.json").withBody(body));
    }

    @Test
    void shouldStopLz64BombAtTheLimit() throws IOException {
        // "ab" x 500 compresses to a few dozen characters: with a 900-byte bound it is a bomb
        String lz = EventCodec.mapper().readTree(getClass().getResourceAsStream("/posthog/lz-string-1.5.0-vectors.json"))
                .get("vectors").get(3).get("lz64").asText();
        byte[] body = ("data=" + java.net.URLEncoder.encode(lz, StandardCharsets.UTF_8) + "&compression=lz64").getBytes(StandardCharsets.US_ASCII);

        RequestRefusedException e = assertThrows(RequestRefusedException.class,
                () -> PostHogPayload.decode("POST", "application/x-www-form-urlencoded", Map.of(), body, 900));
        assertEquals(RejectionCode.REQUEST_TOO_LARGE, e.rejection().code());
    }

    private static PostHogPayload.Decoded decode(RecordedRequest r) {
        return PostHogPayload.decode(r.method(), r.contentType() == null ? "" : r.contentType(), r.query(), r.body(), LIMIT);
    }

    private static void assertRefused(RejectionCode code, RecordedRequest r) {
        RequestRefusedException e = assertThrows(RequestRefusedException.class, () -> decode(r));
        assertEquals(code, e.rejection().code(), e.getMessage());
    }

    private static List<String> eventNames(PostHogPayload.Decoded d) {
        try {
            JsonNode body = EventCodec.mapper().readTree(d.json());
            JsonNode events = body.isArray() ? body : body.has("batch") ? body.get("batch") : EventCodec.mapper().createArrayNode().add(body);
            return java.util.stream.StreamSupport.stream(events.spliterator(), false).map(e -> e.get("event").asText()).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
