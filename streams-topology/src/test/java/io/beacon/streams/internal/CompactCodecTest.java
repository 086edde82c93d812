package io.beacon.streams.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.control.discovery.DiscoveredItem;
import io.beacon.control.discovery.DiscoveryCodec;
import io.beacon.control.discovery.DiscoveryKind;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import io.beacon.event.EventMapper;
import io.beacon.event.EventType;
import io.beacon.event.MappingResult;
import io.beacon.streams.identity.IdentityLink;
import io.beacon.streams.runtime.Envelopes;
import io.beacon.streams.sessions.DeviceState;
import io.beacon.streams.sessions.SessionState;
import io.beacon.streams.time.TimestampRule;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The compact format must give downstream stages exactly what the JSON it replaces gave: every test
 * compares the compact round trip with the JSON round trip ({@link EventCodec}) of the same value —
 * as objects (record equality, which tells Integer from Long) and as the JSON the valid topic gets.
 */
class CompactCodecTest {

    private static Event jsonRoundTrip(Event e) {
        return EventCodec.decodeEvent(EventCodec.encode(e));
    }

    private static void assertSameAsJson(Event e) {
        Event viaJson = jsonRoundTrip(e);
        Event viaCompact = CompactCodec.decodeEvent(CompactCodec.encodeEvent(e));
        assertEquals(viaJson, viaCompact);
        assertArrayEquals(EventCodec.encode(viaJson), EventCodec.encode(viaCompact));
        IdentityInput in = CompactCodec.decodeIdentityInput(CompactCodec.encodeIdentityInput(IdentityInput.of(e)));
        assertEquals(viaJson, in.event());
        assertEquals(null, in.claim());
    }

    private static Event mapped(io.beacon.event.RawEnvelope envelope) {
        return ((MappingResult.Mapped) EventMapper.map(envelope)).event();
    }

    private static Event withProperties(Map<String, Object> properties, Map<String, Object> traits) {
        Event base = mapped(Envelopes.track("p1", "e-1", "u-1"));
        return base.withProperties(properties).withTraits(traits);
    }

    @Test
    void shouldDecodeMappedEventsAsJsonDoes() {
        assertSameAsJson(mapped(Envelopes.track("p1", "e-1", "u-1")));
        assertSameAsJson(mapped(Envelopes.identify("p1", "e-2", "u-2",
                Map.of("email", "a@example.com", "$set_once", Map.of("first_seen", "2025-01-01"), "age", 41))));
        assertSameAsJson(mapped(Envelopes.track("p1", "e-3", "u-3", "Cart Viewed",
                Map.of("items", List.of(1, 2.5, "x", true), "nested", Map.of("a", List.of(), "b", Map.of()),
                        "big", 12_345_678_901L, "neg", -7, "ratio", 0.1))));
    }

    @Test
    void shouldKeepEveryColumnIncludingNullsAndPersonAndSession() {
        Event full = new Event("id-ü", "proj", EventType.PAGE, "$pageview", "user", "anon", "sess", -5L, Long.MAX_VALUE,
                Long.MIN_VALUE, 0L, "web", "DE", "BE", "Berlin", "Pixel", "Android", "14", "1.2.3",
                "https://x/ä?q=1", "Title \"quoted\"", "/p", "https://ref", "2001:db8::1", "UA/1 😀", "lib", "0.1",
                "g1", "prev", Map.of("k", "v"), Map.of("t", 1), List.of("w1", "w2"), "person");
        assertSameAsJson(full);
        Event sparse = new Event("id", "proj", EventType.ALIAS, "$create_alias", null, null, null, 0, 0, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null);
        assertSameAsJson(sparse);
        assertSameAsJson(sparse.withWarnings(List.of("")).withPersonId(""));
    }

    @Test
    void shouldNormaliseNumbersAndOddValuesTheWayJsonDoes() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("long_small", 5L);
        p.put("long_big", 5_000_000_000L);
        p.put("long_min", Long.MIN_VALUE);
        p.put("int_min", Integer.MIN_VALUE);
        p.put("short", (short) 3);
        p.put("byte", (byte) -2);
        p.put("float", 1.1f);
        p.put("double", 1.0);
        p.put("double_exp", 1.0E-12);
        p.put("neg_zero", -0.0);
        p.put("nan", Double.NaN);
        p.put("inf", Double.NEGATIVE_INFINITY);
        p.put("big_decimal", new BigDecimal("1.50"));
        p.put("big_decimal_exp", new BigDecimal("1E+3"));
        p.put("big_integer_small", BigInteger.valueOf(7));
        p.put("big_integer", new BigInteger("123456789012345678901234567890"));
        p.put("set", new LinkedHashSet<>(List.of("b", "a")));
        p.put("array", new Object[] {1, "x"});
        p.put("int_keys", new TreeMap<>(Map.of(1, "one", 2, "two")));
        p.put("null", null);
        List<Object> withNull = new ArrayList<>(Arrays.asList(1, null, "z"));
        p.put("list_with_null", withNull);
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("inner_null", null);
        nested.put("inner_long", 9L);
        nested.put("deeper", List.of(Map.of("x", 2L)));
        p.put("nested", nested);
        p.put("empty_string", "");
        p.put("char", 'c');
        p.put("unicode", "naïve 日本 😀");
        assertSameAsJson(withProperties(p, Map.of("$set_once", nested, "long", 3L)));
    }

    @Test
    void shouldMatchJsonOnRandomValueTrees() {
        Random random = new Random(42);
        for (int i = 0; i < 300; i++) {
            Map<String, Object> props = new LinkedHashMap<>();
            int n = random.nextInt(8);
            for (int k = 0; k < n; k++) {
                props.put("k" + random.nextInt(20), randomValue(random, 3));
            }
            assertSameAsJson(withProperties(props, Map.of()));
        }
    }

    private static Object randomValue(Random r, int depth) {
        int kind = r.nextInt(depth > 0 ? 11 : 9);
        return switch (kind) {
            case 0 -> null;
            case 1 -> "s" + r.nextInt(1000);
            case 2 -> r.nextBoolean();
            case 3 -> r.nextInt();
            case 4 -> r.nextLong();
            case 5 -> (long) r.nextInt(100);
            case 6 -> r.nextDouble() * Math.pow(10, r.nextInt(40) - 20);
            case 7 -> new BigDecimal(r.nextInt(100000)).movePointLeft(r.nextInt(4));
            case 8 -> (float) r.nextGaussian();
            case 9 -> {
                List<Object> list = new ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    list.add(randomValue(r, depth - 1));
                }
                yield list;
            }
            default -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    map.put("n" + r.nextInt(10), randomValue(r, depth - 1));
                }
                yield map;
            }
        };
    }

    @Test
    void shouldRoundTripClaims() {
        IdentityInput claim = IdentityInput.of(new IdentityInput.Claim("p", "user-ü", "e-9", 1_764_000_000_123L));
        assertEquals(claim, CompactCodec.decodeIdentityInput(CompactCodec.encodeIdentityInput(claim)));
    }

    @Test
    void shouldStillReadTheJsonEarlierVersionsWrote() {
        Event e = mapped(Envelopes.track("p1", "e-1", "u-1"));
        IdentityInput asEvent = IdentityInput.of(e);
        assertEquals(EventCodec.decode(EventCodec.encode(asEvent), IdentityInput.class),
                CompactCodec.decodeIdentityInput(EventCodec.encode(asEvent)));
        IdentityInput claim = IdentityInput.of(new IdentityInput.Claim("p", "u", "e", 1L));
        assertEquals(claim, CompactCodec.decodeIdentityInput(EventCodec.encode(claim)));
        assertEquals(jsonRoundTrip(e), CompactCodec.decodeEvent(EventCodec.encode(e)));

        DiscoveredItem item = DiscoveredItem.property("p", "coupon", "number", 5).merge(DiscoveredItem.property("p", "coupon", "string", 9));
        assertEquals(item, CompactCodec.decodeDiscoveredItem(DiscoveryCodec.encode(item)));
    }

    @Test
    void shouldRoundTripDiscoveredItems() {
        DiscoveredItem event = DiscoveredItem.event("shop", "Checkout Started", 1_764_000_000_000L);
        assertEquals(event, CompactCodec.decodeDiscoveredItem(CompactCodec.encodeDiscoveredItem(event)));
        DiscoveredItem property = new DiscoveredItem("shop", DiscoveryKind.PROPERTY, "größe", 1L << 40, -1, Long.MAX_VALUE,
                Map.of("number", 3L, "string", 4L, "list", Long.MAX_VALUE, DiscoveredItem.OBJECT, 1L));
        DiscoveredItem back = CompactCodec.decodeDiscoveredItem(CompactCodec.encodeDiscoveredItem(property));
        assertEquals(property, back);
        assertArrayEquals(DiscoveryCodec.encode(property), DiscoveryCodec.encode(back));
    }

    @Test
    void shouldRefuseTruncatedOrForeignCompactRecords() {
        byte[] good = CompactCodec.encodeIdentityInput(IdentityInput.of(mapped(Envelopes.track("p1", "e-1", "u-1"))));
        assertTrue(CompactCodec.isCompact(good));
        for (int cut : new int[] {1, 2, 3, good.length / 2, good.length - 1}) {
            byte[] truncated = Arrays.copyOf(good, cut);
            assertThrows(IllegalArgumentException.class, () -> CompactCodec.decodeIdentityInput(truncated), "cut at " + cut);
        }
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertThrows(IllegalArgumentException.class, () -> CompactCodec.decodeIdentityInput(trailing));
        byte[] otherVersion = good.clone();
        otherVersion[1] = 99;
        assertThrows(IllegalArgumentException.class, () -> CompactCodec.decodeIdentityInput(otherVersion));
        byte[] item = CompactCodec.encodeDiscoveredItem(DiscoveredItem.event("p", "x", 1));
        assertThrows(IllegalArgumentException.class, () -> CompactCodec.decodeDiscoveredItem(Arrays.copyOf(item, item.length - 2)));
    }

    @Test
    void shouldRoundTripIdentityLinksAsJsonDoes() {
        for (IdentityLink link : List.of(new IdentityLink("user-1", true, 1_764_000_000_000L, "e-1"),
                new IdentityLink("anon-ü", false, -3, null), new IdentityLink("", false, Long.MAX_VALUE, ""))) {
            IdentityLink viaJson = EventCodec.decode(EventCodec.encode(link), IdentityLink.class);
            assertEquals(viaJson, CompactCodec.decodeIdentityLink(CompactCodec.encodeIdentityLink(link)));
            assertEquals(viaJson, CompactCodec.decodeIdentityLink(EventCodec.encode(link)), "older JSON still read");
        }
    }

    @Test
    void shouldRoundTripDeviceStatesAsJsonDoes() {
        Event page = mapped(Envelopes.track("p1", "e-1", "u-1"))
                .withPageFields("https://shop.example/?utm_source=news&utm_medium=mail", "Home", "/", "https://ref.example");
        SessionState first = SessionState.start("s-1", false, page.withPersonId("u-1"));
        SessionState second = SessionState.start("s-2", true, page).plus(page.withEventTime(page.eventTime() + 1_000))
                .absorb(SessionState.start("s-0", false, page));
        SessionState bare = new SessionState("s-3", false, 0, 0, 0, 0, Long.MAX_VALUE, null, Long.MIN_VALUE, null, null,
                null, null, null, null);
        List<DeviceState> states = List.of(
                DeviceState.empty(),
                new DeviceState(5, new TimestampRule.DeviceClock(-1, Long.MAX_VALUE), 7, 9, List.of(first)),
                new DeviceState(Long.MAX_VALUE, null, 0, Long.MIN_VALUE, List.of(first, second, bare)));
        for (DeviceState state : states) {
            DeviceState viaJson = EventCodec.decode(EventCodec.encode(state), DeviceState.class);
            DeviceState viaCompact = CompactCodec.decodeDeviceState(CompactCodec.encodeDeviceState(state));
            assertEquals(viaJson, viaCompact);
            assertArrayEquals(EventCodec.encode(viaJson), EventCodec.encode(viaCompact));
            assertEquals(viaJson, CompactCodec.decodeDeviceState(EventCodec.encode(state)), "older JSON still read");
        }
        assertTrue(!second.utm().isEmpty() && !second.merged().isEmpty(), "the fixture exercises utm and merged ids");
    }
}
