package io.beacon.control.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.beacon.control.registry.PropertyType;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DiscoveredItemTest {

    private static DiscoveredItem property(Map<String, Long> counts) {
        return new DiscoveredItem("shop", DiscoveryKind.PROPERTY, "seats", 10, 1, 2, counts);
    }

    @Test
    void shouldAddVolumesAndTypeCountsAndWidenTheTimeRangeWhenMerging() {
        DiscoveredItem a = DiscoveredItem.property("shop", "seats", "number", 2_000);
        DiscoveredItem b = DiscoveredItem.property("shop", "seats", "string", 1_000);

        DiscoveredItem sum = a.merge(b).merge(DiscoveredItem.property("shop", "seats", "number", 3_000));

        assertEquals(3, sum.volume());
        assertEquals(1_000, sum.firstSeen());
        assertEquals(3_000, sum.lastSeen());
        assertEquals(Map.of("number", 2L, "string", 1L), sum.typeCounts());
        assertEquals("shop/property/seats", sum.key());
    }

    @Test
    void shouldRefuseToMergeDifferentItems() {
        assertThrows(IllegalArgumentException.class, () -> DiscoveredItem.event("shop", "A", 1).merge(DiscoveredItem.event("shop", "B", 1)));
    }

    @Test
    void shouldInferTheOnlyTypeSeen() {
        assertEquals(Optional.of(PropertyType.NUMBER), property(Map.of("number", 5L)).inferredType());
        assertEquals(Optional.of(PropertyType.DATETIME), property(Map.of("datetime", 5L)).inferredType());
    }

    @Test
    void shouldInferStringForMixedScalarsBecauseStringAcceptsThemAll() {
        assertEquals(Optional.of(PropertyType.STRING), property(Map.of("number", 9L, "boolean", 1L)).inferredType());
    }

    @Test
    void shouldInferTheMostFrequentTypeWhenListsAndScalarsMix() {
        assertEquals(Optional.of(PropertyType.LIST), property(Map.of("list", 9L, "string", 1L)).inferredType());
    }

    @Test
    void shouldInferNothingForObjectsOnlyOrEvents() {
        assertEquals(Optional.empty(), property(Map.of("object", 3L)).inferredType());
        assertEquals(Optional.empty(), DiscoveredItem.event("shop", "A", 1).inferredType());
    }

    @Test
    void shouldRoundTripThroughItsJson() {
        DiscoveredItem item = new DiscoveredItem("shop", DiscoveryKind.PROPERTY, "a/b c", 7, 1, 9, Map.of("string", 7L));

        byte[] json = DiscoveryCodec.encode(item);

        assertEquals(item, DiscoveryCodec.decode(json));
        assertEquals("{\"project\":\"shop\",\"kind\":\"property\",\"name\":\"a/b c\",\"volume\":7,\"first_seen\":1,"
                + "\"last_seen\":9,\"type_counts\":{\"string\":7},\"inferred_type\":\"string\"}", new String(json, StandardCharsets.UTF_8));
    }
}
