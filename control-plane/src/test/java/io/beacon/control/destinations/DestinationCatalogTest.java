package io.beacon.control.destinations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beacon.control.store.ConfigKey;
import io.beacon.control.store.InMemoryConfigStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DestinationCatalogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final InMemoryConfigStore store = new InMemoryConfigStore();

    /** Writes a destination straight to the store (the catalog reads what is stored; checks are the service's). */
    private DestinationDefinition write(String project, String id, boolean enabled, String subscriptions, long expectedVersion) {
        try {
            DestinationDefinition d = DestinationJson.parseBody(JSON.readTree("{\"id\":\"" + id + "\",\"name\":\"" + id
                    + "\",\"type\":\"webhook\",\"url\":\"https://hooks.example.com/" + id + "\",\"enabled\":" + enabled
                    + ",\"subscriptions\":" + subscriptions + "}"), project, null);
            store.put(d.key(), DestinationJson.toDocument(d), expectedVersion);
            return d;
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static List<String> ids(List<DestinationCatalog.Match> matches) {
        return matches.stream().map(m -> m.destination().projectId() + "/" + m.destination().id()).toList();
    }

    @Test
    void shouldIndexEnabledDestinationsBySegmentAndEvent() throws Exception {
        write("shop", "b", true, "[{\"on\":\"segment_entered\",\"segment\":\"vip\"},{\"on\":\"event\",\"event\":\"purchase\","
                + "\"where\":[{\"property\":\"total\",\"op\":\"gt\",\"value\":100}]}]", 0);
        write("shop", "a", true, "[{\"on\":\"segment_entered\",\"segment\":\"vip\"},{\"on\":\"segment_exited\",\"segment\":\"vip\"}]", 0);
        write("shop", "off", false, "[{\"on\":\"segment_entered\",\"segment\":\"vip\"}]", 0);
        write("other", "a", true, "[{\"on\":\"segment_entered\",\"segment\":\"vip\"}]", 0);

        try (DestinationCatalog catalog = new DestinationCatalog(store)) {
            assertEquals(List.of("other/a", "shop/a", "shop/b"),
                    catalog.enabled().stream().map(d -> d.projectId() + "/" + d.id()).toList());
            assertEquals(List.of("shop/a", "shop/b"), ids(catalog.forSegment("shop", "vip", true)));
            assertEquals(List.of("shop/a"), ids(catalog.forSegment("shop", "vip", false)));
            assertEquals(List.of("other/a"), ids(catalog.forSegment("other", "vip", true)));
            assertEquals(List.of(), catalog.forSegment("shop", "gold", true));
            List<DestinationCatalog.Match> purchase = catalog.forEvent("shop", "purchase");
            assertEquals(List.of("shop/b"), ids(purchase));
            Subscription.EventMatching s = (Subscription.EventMatching) purchase.get(0).subscription();
            assertTrue(s.matches("purchase", JSON.readTree("{\"total\":150}")));
            assertEquals(List.of(), catalog.forEvent("other", "purchase"));
            assertFalse(catalog.destination("shop", "off").orElseThrow().enabled());
        }
    }

    @Test
    void shouldFollowCreatesUpdatesDisablesAndDeletes() {
        try (DestinationCatalog catalog = new DestinationCatalog(store)) {
            List<ConfigKey> changed = new ArrayList<>();
            catalog.onChange(changed::add);
            assertEquals(List.of(), catalog.enabled());

            write("shop", "a", true, "[{\"on\":\"event\",\"event\":\"signup\"}]", 0);
            assertEquals(List.of("shop/a"), ids(catalog.forEvent("shop", "signup")));

            write("shop", "a", true, "[{\"on\":\"event\",\"event\":\"login\"}]", 1);
            assertEquals(List.of(), catalog.forEvent("shop", "signup"));
            assertEquals(List.of("shop/a"), ids(catalog.forEvent("shop", "login")));

            write("shop", "a", false, "[{\"on\":\"event\",\"event\":\"login\"}]", 2);
            assertEquals(List.of(), catalog.forEvent("shop", "login"));
            assertEquals(List.of(), catalog.enabled());
            assertTrue(catalog.destination("shop", "a").isPresent());

            store.delete(DestinationDefinition.key("shop", "a"), 3);
            assertTrue(catalog.destination("shop", "a").isEmpty());
            assertEquals(4, changed.size());
            assertEquals(DestinationDefinition.key("shop", "a"), changed.get(3));
        }
    }

    @Test
    void shouldSkipAnUnreadableDocument() {
        store.put(DestinationDefinition.key("shop", "broken"), JSON.createObjectNode().put("name", "no type"), 0);
        try (DestinationCatalog catalog = new DestinationCatalog(store)) {
            assertTrue(catalog.destination("shop", "broken").isEmpty());
            assertEquals(List.of(), catalog.enabled());
        }
    }
}
