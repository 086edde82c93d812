package io.beacon.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The streaming event reader gives exactly what data binding gives, and rejects what it rejects. */
class EventJsonReaderTest {

    private static Event bound(byte[] bytes) {
        return EventCodec.decode(bytes, Event.class);
    }

    private static Event streamed(byte[] bytes) {
        return EventCodec.decodeEvent(bytes);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void randomEventsDecodeToTheSameValuesAndJavaTypesAsDataBinding() {
        Random r = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            Event e = randomEvent(r, i);
            byte[] bytes = EventCodec.encode(e);
            Event viaBinding = bound(bytes);
            Event viaStream = streamed(bytes);
            assertEquals(viaBinding, viaStream, new String(bytes, StandardCharsets.UTF_8));
            assertSameTypes(viaBinding.properties(), viaStream.properties());
            assertSameTypes(viaBinding.traits(), viaStream.traits());
        }
    }

    @Test
    void aProjectionKeepsTheStateFieldsAndTheNamedPropertiesAndNothingElse() {
        Random r = new Random(11);
        for (int i = 0; i < 1_000; i++) {
            Event full = randomEvent(r, i);
            Map<String, Object> props = new LinkedHashMap<>(full.properties());
            props.put("revenue", i % 2 == 0 ? 12.5 : "7");
            full = full.withProperties(props);
            byte[] bytes = EventCodec.encode(full);
            Event whole = bound(bytes);
            Event p = EventCodec.decodeProjected(bytes, java.util.Set.of("revenue", "k1"));
            Map<String, Object> kept = new LinkedHashMap<>();
            whole.properties().forEach((k, v) -> {
                if (k.equals("revenue") || k.equals("k1")) {
                    kept.put(k, v);
                }
            });
            Event expected = new Event(whole.eventId(), whole.projectId(), whole.type(), whole.eventName(), whole.userId(),
                    whole.anonymousId(), whole.sessionId(), whole.eventTime(), whole.receivedAt(), null, null, null, null, null,
                    null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, kept,
                    whole.traits(), null, whole.personId());
            assertEquals(expected, p);
            assertSameTypes(whole.properties().get("revenue"), p.properties().get("revenue"));
            assertSameTypes(whole.traits(), p.traits());
        }
        assertThrows(UncheckedIOException.class, () -> EventCodec.decodeProjected(utf8("{\"event_id\":\"e\",\"project_id\":\"p\","
                + "\"type\":\"track\",\"event_name\":\"n\",\"page_url\":[1,"), java.util.Set.of()));
        assertThrows(UncheckedIOException.class, () -> EventCodec.decodeProjected(utf8("{\"project_id\":\"p\","
                + "\"type\":\"track\",\"event_name\":\"n\"}"), java.util.Set.of()));
    }

    @Test
    void numbersKeepDataBindingsJavaTypesByMagnitude() {
        byte[] json = utf8("{\"event_id\":\"e\",\"project_id\":\"p\",\"type\":\"track\",\"event_name\":\"n\",\"event_time\":5,"
                + "\"properties\":{\"i\":1,\"l\":12345678901,\"b\":123456789012345678901234567890,\"d\":1.5,\"x\":-2e3,"
                + "\"t\":true,\"f\":false,\"n\":null,\"a\":[1,\"s\",{\"k\":[]}],\"o\":{}}}");
        Event e = streamed(json);
        assertEquals(bound(json), e);
        assertEquals(Integer.class, e.properties().get("i").getClass());
        assertEquals(Long.class, e.properties().get("l").getClass());
        assertEquals(BigInteger.class, e.properties().get("b").getClass());
        assertEquals(Double.class, e.properties().get("d").getClass());
        assertEquals(-2000.0, e.properties().get("x"));
        assertTrue(e.properties().containsKey("n"));
        assertSameTypes(bound(json).properties(), e.properties());
    }

    @Test
    void unknownFieldsAreSkippedAndScalarsCoercedLikeDataBinding() {
        byte[] json = utf8("{\"future\":{\"deep\":[1,{\"x\":2}]},\"event_id\":\"e\",\"project_id\":\"p\",\"type\":\"PAGE\","
                + "\"event_name\":\"$pageview\",\"event_time\":\"1700000000000\",\"received_at\":17.9,\"client_time\":null,"
                + "\"sent_at\":\"42\",\"platform\":7,\"country\":true,\"warnings\":[\"w1\",\"w2\"],\"later\":null}");
        Event e = streamed(json);
        assertEquals(bound(json), e);
        assertEquals(EventType.PAGE, e.type());
        assertEquals(1_700_000_000_000L, e.eventTime());
        assertEquals(17L, e.receivedAt());
        assertEquals(42L, e.sentAt());
        assertEquals("7", e.platform());
        assertEquals("true", e.country());
        assertEquals(List.of("w1", "w2"), e.warnings());
    }

    @Test
    void documentsDataBindingRejectsAreRejected() {
        List<String> bad = List.of(
                "[]",
                "\"x\"",
                "{\"project_id\":\"p\",\"type\":\"track\",\"event_name\":\"n\"}", // no event_id
                "{\"event_id\":\"e\",\"project_id\":\"p\",\"type\":\"nope\",\"event_name\":\"n\"}",
                "{\"event_id\":\"e\",\"project_id\":\"p\",\"type\":\"track\",\"event_name\":\"n\",\"event_time\":\"soon\"}",
                "{\"event_id\":\"e\",\"project_id\":\"p\",\"type\":\"track\",\"event_name\":\"n\",\"properties\":[1]}",
                "{\"event_id\":{\"a\":1},\"project_id\":\"p\",\"type\":\"track\",\"event_name\":\"n\"}",
                "{\"event_id\":\"e\",\"project_id\":\"p\",\"type\":\"track\",\"event_name\":\"n\",\"warnings\":\"w\"}",
                "{\"event_id\":\"e\",\"project_id\":\"p\",\"type\":\"track\"",
                "not json");
        for (String json : bad) {
            assertThrows(UncheckedIOException.class, () -> bound(utf8(json)), "data binding accepted " + json);
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> streamed(utf8(json)), json);
            assertTrue(e.getCause() instanceof IOException, json);
            assertTrue(e.getMessage().startsWith("not a valid Event: "), e.getMessage());
        }
    }

    private static void assertSameTypes(Object expected, Object actual) {
        if (expected == null) {
            assertEquals(null, actual);
            return;
        }
        assertEquals(expected.getClass(), actual.getClass(), String.valueOf(expected));
        if (expected instanceof Map<?, ?> m) {
            Map<?, ?> a = (Map<?, ?>) actual;
            assertEquals(new ArrayList<>(m.keySet()), new ArrayList<>(a.keySet()));
            for (Object k : m.keySet()) {
                assertSameTypes(m.get(k), a.get(k));
            }
        } else if (expected instanceof List<?> l) {
            List<?> a = (List<?>) actual;
            for (int i = 0; i < l.size(); i++) {
                assertSameTypes(l.get(i), a.get(i));
            }
        }
    }

    private static Event randomEvent(Random r, int i) {
        EventType type = EventType.values()[r.nextInt(EventType.values().length)];
        return new Event("e-" + i, "proj" + r.nextInt(3), type, r.nextBoolean() ? "Order \"Completed\" ü" : "$pageview",
                maybe(r, "user-" + r.nextInt(100)), maybe(r, "anon-" + r.nextInt(100)), maybe(r, "s-" + r.nextInt(9)),
                r.nextLong() >>> 20, r.nextLong() >>> 20, r.nextBoolean() ? r.nextLong() >>> 20 : null,
                r.nextBoolean() ? (long) r.nextInt() : null, maybe(r, "web"), maybe(r, "DE"), maybe(r, "BE"),
                maybe(r, "Berlin\n"), maybe(r, "iPhone"), maybe(r, "iOS"), maybe(r, "17.1"), maybe(r, "3.2.1"),
                maybe(r, "https://x.test/a?b=c&d=\u00e9"), maybe(r, "Title \\ slash"), maybe(r, "/a"), maybe(r, "https://r.test"),
                maybe(r, "10.0.0.1"), maybe(r, "Mozilla/5.0"), maybe(r, "beacon-js"), maybe(r, "1.0"), maybe(r, "g1"),
                maybe(r, "prev"), r.nextInt(4) == 0 ? null : randomMap(r, 0), r.nextInt(3) == 0 ? null : randomMap(r, 0),
                r.nextBoolean() ? null : List.of("late_event", "w" + r.nextInt(5)), maybe(r, "person-" + r.nextInt(50)));
    }

    private static String maybe(Random r, String value) {
        return r.nextInt(3) == 0 ? null : value;
    }

    private static Map<String, Object> randomMap(Random r, int depth) {
        Map<String, Object> m = new LinkedHashMap<>();
        int n = r.nextInt(6);
        for (int k = 0; k < n; k++) {
            m.put("k" + k + (r.nextBoolean() ? "_\u00fc" : ""), randomValue(r, depth));
        }
        return m;
    }

    private static Object randomValue(Random r, int depth) {
        switch (r.nextInt(depth >= 2 ? 7 : 9)) {
            case 0: return "s" + r.nextInt(1000);
            case 1: return r.nextInt();
            case 2: return r.nextLong();
            case 3: return r.nextDouble() * 1000;
            case 4: return r.nextBoolean();
            case 5: return null;
            case 6: return new BigInteger(80, r).setBit(79);
            case 7: return randomMap(r, depth + 1);
            default: {
                List<Object> l = new ArrayList<>();
                int n = r.nextInt(4);
                for (int k = 0; k < n; k++) {
                    l.add(randomValue(r, depth + 1));
                }
                return l;
            }
        }
    }
}
