package io.beacon.control.journeys;

import static io.beacon.control.journeys.JourneyFixtures.object;
import static io.beacon.control.journeys.JourneyFixtures.parse;
import static io.beacon.control.journeys.JourneyFixtures.welcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.control.audience.EventMatch;
import io.beacon.control.destinations.FilterOp;
import io.beacon.control.destinations.PropertyFilter;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventFiltersTest {
    private final EventMatch purchaseOver10 =
            ((Criterion.EventOccurs) ((Step.WaitUntil) parse(welcome()).steps().get("wait")).until()).match();

    @Test
    void shouldMatchAnEventByNameAndEveryFilter() {
        assertTrue(EventFilters.matches(purchaseOver10, "purchase", object("{\"total\":12}")));
        assertFalse(EventFilters.matches(purchaseOver10, "purchase", object("{\"total\":9}")));
        assertFalse(EventFilters.matches(purchaseOver10, "purchase", object("{}")));
        assertFalse(EventFilters.matches(purchaseOver10, "refund", object("{\"total\":12}")));
    }

    @Test
    void shouldMatchAnyPropertiesWithoutFilters() {
        assertTrue(EventFilters.matches(EventMatch.named("open"), "open", null));
    }

    @Test
    void shouldExposeTheFiltersAsPropertyFilters() {
        assertEquals(List.of(new PropertyFilter("total", FilterOp.GT, object("{\"v\":10}").get("v"))),
                EventFilters.filters(purchaseOver10));
    }
}
