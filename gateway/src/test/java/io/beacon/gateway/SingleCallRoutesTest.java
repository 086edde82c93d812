package io.beacon.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.event.EventMapper;
import io.beacon.event.EventType;
import io.beacon.event.MappingResult;
import io.beacon.event.RawEnvelope;
import io.beacon.event.WireFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SingleCallRoutesTest {
    private static final RecordingEventLog LOG = new RecordingEventLog();
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = GatewayHarness.serve(GatewayHarness.defaultSettings(), LOG);
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
    }

    @BeforeEach
    void reset() {
        LOG.clear();
        LOG.mode(RecordingEventLog.Mode.ACK);
    }

    @Test
    void shouldAcceptTrackWith200SuccessAndAppendOneEnvelopeKeyedByProjectAndUser() {
        GatewayHarness.Reply reply = gateway.post("/v1/track", Payloads.track());

        assertEquals(200, reply.status());
        assertEquals(Payloads.object().put("success", true), reply.json());
        List<EventLog.Entry> entries = LOG.entries();
        assertEquals(1, entries.size());
        assertEquals(GatewayHarness.PROJECT + ":user-42", entries.get(0).key());
        RawEnvelope envelope = entries.get(0).envelope();
        assertEquals(GatewayHarness.PROJECT, envelope.projectId());
        assertEquals("msg-track-1", envelope.eventId());
        assertEquals(WireFormat.SEGMENT, envelope.format());
        assertEquals("Order Completed", envelope.payload().get("event").asText());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "/v1/identify, IDENTIFY, $identify",
            "/v1/page, PAGE, $pageview",
            "/v1/screen, SCREEN, $screen",
            "/v1/group, GROUP, $groupidentify",
            "/v1/alias, ALIAS, $create_alias",
            "/v1/t, TRACK, Item Viewed",
            "/v1/p, PAGE, $pageview"})
    void shouldTakeTheCallTypeFromTheEndpoint(String path, EventType type, String eventName) {
        // Given a body without "type", valid for the endpoint's call
        ObjectNode body = Payloads.item(type.wireName(), "msg-" + type.wireName());
        body.remove("type");

        GatewayHarness.Reply reply = gateway.post(path, body);

        assertEquals(200, reply.status(), reply.json().toString());
        RawEnvelope envelope = LOG.entries().get(0).envelope();
        assertEquals(type.wireName(), envelope.payload().get("type").asText());
        MappingResult.Mapped mapped = (MappingResult.Mapped) EventMapper.map(envelope);
        assertEquals(type, mapped.event().type());
        assertEquals(eventName, mapped.event().eventName());
    }

    @Test
    void shouldOverrideABodyTypeThatContradictsTheEndpoint() {
        ObjectNode body = Payloads.track().put("type", "identify");

        GatewayHarness.Reply reply = gateway.post("/v1/track", body);

        assertEquals(200, reply.status());
        assertEquals("track", LOG.entries().get(0).envelope().payload().get("type").asText());
    }

    @Test
    void shouldAcceptNativeFieldNamesOnTrack() {
        GatewayHarness.Reply reply = gateway.post("/v1/track", Payloads.nativeTrack());

        assertEquals(200, reply.status(), reply.json().toString());
        EventLog.Entry entry = LOG.entries().get(0);
        assertEquals(GatewayHarness.PROJECT + ":user-7", entry.key());
        assertEquals(WireFormat.NATIVE, entry.envelope().format());
        assertEquals("evt-native-1", entry.envelope().eventId());
        MappingResult.Mapped mapped = (MappingResult.Mapped) EventMapper.map(entry.envelope());
        assertEquals("checkout", mapped.event().eventName());
        assertEquals(1_764_064_800_000L, mapped.event().eventTime());
    }

    @Test
    void shouldAssignAnEventIdWhenTheClientSentNone() {
        ObjectNode body = Payloads.track();
        body.remove("messageId");

        gateway.post("/v1/track", body);

        String eventId = LOG.entries().get(0).envelope().eventId();
        assertFalse(eventId.isBlank());
        assertEquals(36, eventId.length(), "a UUID: " + eventId);
    }
}
