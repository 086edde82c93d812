package io.beacon.engine.journeys;

import static io.beacon.engine.journeys.JourneyFixtures.parse;
import static io.beacon.engine.journeys.JourneyFixtures.pushOnce;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.beacon.control.journeys.JourneyDefinition;
import io.beacon.control.journeys.JourneyStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class JourneyVersionsTest {

    @Test
    void shouldTakeTheHighestVersionAsCurrentAndListLiveJourneysByPriority() {
        JourneyDefinition a1 = parse(pushOnce("a", 1));
        JourneyDefinition a2 = a1.withJourneyVersion(2);
        JourneyDefinition b = parse(pushOnce("b", 7));
        JourneyDefinition c = parse(pushOnce("c", 9)).withStatus(JourneyStatus.PAUSED);

        JourneyVersions v = JourneyVersions.of(List.of(a2, b, a1, c));

        assertEquals(2, v.current("a").orElseThrow().journeyVersion());
        assertEquals(a1, v.version("a", 1).orElseThrow());
        assertEquals(List.of("b", "a"), v.live().stream().map(JourneyDefinition::id).toList());
        assertEquals(List.of(2), v.live().stream().filter(d -> d.id().equals("a")).map(JourneyDefinition::journeyVersion).toList());
        assertEquals(false, v.version("a", 3).isPresent());
        assertEquals(false, v.current("z").isPresent());
    }
}
