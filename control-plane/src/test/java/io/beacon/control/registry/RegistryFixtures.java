package io.beacon.control.registry;

import java.util.List;

/** Definitions shared by the registry tests: a small e-commerce tracking plan. */
final class RegistryFixtures {
    static final String SECRET = "0123456789abcdef0123456789abcdef";

    private RegistryFixtures() {
    }

    static PropertyDefinition property(String name, PropertyType type) {
        return PropertyDefinition.of(name, type);
    }

    static EventDefinition event(String name, EventStatus status, List<String> required, List<String> optional) {
        return new EventDefinition(name, null, null, null, List.of(), status, required, optional);
    }

    /**
     * {@code Order Completed} (live; requires order_id, revenue; optional plan, coupon_used, ordered_at, items, email),
     * {@code Page Viewed} (deprecated), {@code Legacy Ping} (blocked).
     */
    static RegistryView shop() {
        return RegistryView.of(
                List.of(
                        event("Order Completed", EventStatus.LIVE, List.of("order_id", "revenue"),
                                List.of("plan", "coupon_used", "ordered_at", "items", "email", "card", "ssn")),
                        event("Page Viewed", EventStatus.DEPRECATED, List.of(), List.of("url")),
                        event("Legacy Ping", EventStatus.BLOCKED, List.of(), List.of())),
                List.of(
                        property("order_id", PropertyType.STRING),
                        property("revenue", PropertyType.NUMBER),
                        property("plan", PropertyType.STRING).withEnumValues(List.of("free", "pro")),
                        property("coupon_used", PropertyType.BOOLEAN),
                        property("ordered_at", PropertyType.DATETIME),
                        property("items", PropertyType.LIST).withEnumValues(List.of("book", "pen")),
                        property("url", PropertyType.STRING),
                        property("email", PropertyType.STRING).withPii(PiiClass.HASH),
                        property("card", PropertyType.STRING).withPii(PiiClass.MASK),
                        property("ssn", PropertyType.STRING).withPii(PiiClass.DROP)));
    }
}
