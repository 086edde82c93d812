package io.beacon.control.registry;

import static io.beacon.control.project.EnforcementMode.PERMISSIVE;
import static io.beacon.control.project.EnforcementMode.STRICT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.control.project.EnforcementMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventValidatorTest {
    private final RegistryView registry = RegistryFixtures.shop();

    private static Map<String, Object> order(Object... extra) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("order_id", "o-1");
        p.put("revenue", 9.99);
        for (int i = 0; i < extra.length; i += 2) {
            p.put((String) extra[i], extra[i + 1]);
        }
        return p;
    }

    private ValidationResult validate(EnforcementMode mode, String event, Map<String, Object> props) {
        return EventValidator.validate(mode, registry, event, props);
    }

    private static List<ViolationCode> codes(ValidationResult r) {
        return r.violations().stream().map(Violation::code).toList();
    }

    @Test
    void shouldAcceptAConformingEventWithoutFindings() {
        ValidationResult r = validate(STRICT, "Order Completed", order("plan", "pro"));
        assertEquals(Verdict.ACCEPT, r.verdict());
        assertEquals(List.of(), r.violations());
    }

    @Test
    void shouldFlagUnknownEventInPermissiveMode() {
        ValidationResult r = validate(PERMISSIVE, "Song Played", Map.of());
        assertEquals(Verdict.ACCEPT_WITH_WARNINGS, r.verdict());
        assertEquals(List.of(ViolationCode.UNKNOWN_EVENT), codes(r));
        assertEquals(List.of("UNKNOWN_EVENT:event"), r.warningTags());
    }

    @Test
    void shouldRejectUnknownEventInStrictMode() {
        ValidationResult r = validate(STRICT, "Song Played", Map.of("artist", "x"));
        assertEquals(Verdict.REJECT, r.verdict());
        assertEquals(ViolationCode.UNKNOWN_EVENT, r.firstError().orElseThrow().code());
        assertEquals("event", r.firstError().orElseThrow().field());
    }

    @Test
    void shouldFlagUnlistedPropertyInPermissiveMode() {
        ValidationResult r = validate(PERMISSIVE, "Order Completed", order("color", "red"));
        assertEquals(Verdict.ACCEPT_WITH_WARNINGS, r.verdict());
        assertEquals(List.of(ViolationCode.UNKNOWN_PROPERTY), codes(r));
        assertEquals("properties.color", r.violations().get(0).field());
        assertEquals("red", r.properties().get("color"));
    }

    @Test
    void shouldRejectUnlistedPropertyInStrictMode() {
        ValidationResult r = validate(STRICT, "Order Completed", order("color", "red"));
        assertEquals(Verdict.REJECT, r.verdict());
        assertEquals(ViolationCode.UNKNOWN_PROPERTY, r.firstError().orElseThrow().code());
    }

    @Test
    void shouldTreatADefinedButUnlistedPropertyAsUnknownForThatEvent() {
        ValidationResult r = validate(STRICT, "Order Completed", order("url", "https://x"));
        assertEquals(List.of(ViolationCode.UNKNOWN_PROPERTY), codes(r));
    }

    @Test
    void shouldTypeCheckDefinedPropertiesOfUnknownEventsInPermissiveMode() {
        ValidationResult r = validate(PERMISSIVE, "Checkout Started", Map.of("revenue", "abc", "misc", 1));
        assertEquals(Verdict.REJECT, r.verdict());
        assertEquals(ViolationCode.TYPE_MISMATCH, r.firstError().orElseThrow().code());
        assertTrue(codes(r).containsAll(List.of(ViolationCode.UNKNOWN_EVENT, ViolationCode.UNKNOWN_PROPERTY)));
        assertEquals(1, r.errors().size());
    }

    @Test
    void shouldRejectBlockedEventInEveryMode() {
        for (EnforcementMode mode : EnforcementMode.values()) {
            ValidationResult r = validate(mode, "Legacy Ping", Map.of());
            assertEquals(Verdict.REJECT, r.verdict());
            assertEquals(List.of(ViolationCode.BLOCKED_EVENT), codes(r));
        }
    }

    @Test
    void shouldPassDeprecatedEventFlagged() {
        ValidationResult r = validate(STRICT, "Page Viewed", Map.of("url", "https://x"));
        assertEquals(Verdict.ACCEPT_WITH_WARNINGS, r.verdict());
        assertEquals(List.of(ViolationCode.DEPRECATED_EVENT), codes(r));
    }

    @Test
    void shouldRejectMissingRequiredPropertyInEveryMode() {
        for (EnforcementMode mode : EnforcementMode.values()) {
            ValidationResult r = validate(mode, "Order Completed", Map.of("order_id", "o-1"));
            assertEquals(Verdict.REJECT, r.verdict());
            Violation v = r.firstError().orElseThrow();
            assertEquals(ViolationCode.MISSING_REQUIRED, v.code());
            assertEquals("properties.revenue", v.field());
        }
    }

    @Test
    void shouldTreatNullRequiredPropertyAsMissing() {
        Map<String, Object> p = order();
        p.put("revenue", null);
        assertEquals(List.of(ViolationCode.MISSING_REQUIRED), codes(validate(PERMISSIVE, "Order Completed", p)));
    }

    @Test
    void shouldRejectTypeMismatchInEveryMode() {
        for (EnforcementMode mode : EnforcementMode.values()) {
            ValidationResult r = validate(mode, "Order Completed", order("revenue", "abc"));
            assertEquals(Verdict.REJECT, r.verdict());
            assertEquals(ViolationCode.TYPE_MISMATCH, r.firstError().orElseThrow().code());
            assertEquals("properties.revenue", r.firstError().orElseThrow().field());
        }
    }

    @Test
    void shouldCoerceSafeValuesInTheResult() {
        ValidationResult r = validate(STRICT, "Order Completed",
                order("revenue", "12", "coupon_used", "true", "ordered_at", 1714557600000L));
        assertEquals(Verdict.ACCEPT, r.verdict());
        assertEquals(12L, r.properties().get("revenue"));
        assertEquals(true, r.properties().get("coupon_used"));
        assertEquals("2024-05-01T10:00:00Z", r.properties().get("ordered_at"));
    }

    @Test
    void shouldRejectValueOutsideEnum() {
        ValidationResult r = validate(PERMISSIVE, "Order Completed", order("plan", "enterprise"));
        assertEquals(List.of(ViolationCode.ENUM_VIOLATION), codes(r));
        assertEquals(Verdict.REJECT, r.verdict());
    }

    @Test
    void shouldCheckEveryListElementAgainstEnum() {
        assertEquals(Verdict.ACCEPT, validate(STRICT, "Order Completed", order("items", List.of("book", "pen"))).verdict());
        assertEquals(List.of(ViolationCode.ENUM_VIOLATION),
                codes(validate(STRICT, "Order Completed", order("items", List.of("book", "car")))));
    }

    @Test
    void shouldCompareNumericEnumValuesByValue() {
        RegistryView view = RegistryView.of(List.of(),
                List.of(PropertyDefinition.of("level", PropertyType.NUMBER).withEnumValues(List.of("1", "2.5"))));
        assertEquals(Verdict.ACCEPT_WITH_WARNINGS, EventValidator.validate(PERMISSIVE, view, "x", Map.of("level", 1.0)).verdict());
        assertEquals(Verdict.ACCEPT_WITH_WARNINGS, EventValidator.validate(PERMISSIVE, view, "x", Map.of("level", "2.50")).verdict());
        assertEquals(Verdict.REJECT, EventValidator.validate(PERMISSIVE, view, "x", Map.of("level", 3)).verdict());
    }

    @Test
    void shouldReportEveryViolationNotJustTheFirst() {
        ValidationResult r = validate(STRICT, "Order Completed", Map.of("revenue", "abc", "plan", "gold", "x", 1));
        assertEquals(4, r.errors().size());
        assertTrue(codes(r).containsAll(List.of(ViolationCode.TYPE_MISMATCH, ViolationCode.ENUM_VIOLATION,
                ViolationCode.UNKNOWN_PROPERTY, ViolationCode.MISSING_REQUIRED)));
    }

    @Test
    void shouldNotEchoPiiValuesInMessages() {
        RegistryView view = RegistryView.of(List.of(),
                List.of(PropertyDefinition.of("phone", PropertyType.NUMBER).withPii(PiiClass.HASH)));
        ValidationResult r = EventValidator.validate(PERMISSIVE, view, "x", Map.of("phone", "call-me-555"));
        Violation v = r.firstError().orElseThrow();
        assertEquals(ViolationCode.TYPE_MISMATCH, v.code());
        assertTrue(!v.message().contains("555"), v.message());
    }

    @Test
    void shouldTreatEverythingAsUnknownWithAnEmptyRegistry() {
        ValidationResult r = EventValidator.validate(PERMISSIVE, RegistryView.empty(), "x", Map.of("a", 1));
        assertEquals(List.of(ViolationCode.UNKNOWN_EVENT, ViolationCode.UNKNOWN_PROPERTY), codes(r));
    }
}
