package io.beacon.control.journeys;

import static io.beacon.control.journeys.JourneyFixtures.graph;
import static io.beacon.control.journeys.JourneyFixtures.parse;
import static io.beacon.control.journeys.JourneyFixtures.welcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.FieldError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepMappingTest {
    private final JourneyDefinition v1 = parse(welcome()).withJourneyVersion(1);
    private final JourneyDefinition v2 = v2();

    /** Version 2 drops the split: nudge goes straight to a renamed delay. */
    private static JourneyDefinition v2() {
        ObjectNode body = welcome();
        ObjectNode steps = (ObjectNode) body.get("steps");
        steps.remove("ab");
        steps.remove("pause");
        ((ObjectNode) steps.get("nudge")).put("next", "rest");
        steps.set("rest", JourneyFixtures.object("{\"type\":\"delay\",\"duration\":\"P1D\",\"next\":\"done\"}"));
        body.put("journey_version", 2);
        return parse(body);
    }

    @Test
    void shouldAcceptAMappingBetweenExistingSteps() {
        assertEquals(List.of(), StepMapping.validate(v1, v2, Map.of("pause", "rest", "wait", "wait")));
    }

    @Test
    void shouldRefuseAnOldStepNotInTheOldVersionAndATargetNotInTheNewOne() {
        Map<String, String> mapping = new LinkedHashMap<>();
        mapping.put("ab", "ab");
        mapping.put("ghost", "rest");

        List<FieldError> errors = StepMapping.validate(v1, v2, mapping);

        assertEquals(List.of(new FieldError("mapping.ab", "step 'ab' is mapped to 'ab', which is not a step of version 2"),
                new FieldError("mapping.ghost", "step 'ghost' is not a step of version 1")), errors);
    }

    @Test
    void shouldRefuseAMappingBetweenTwoJourneys() {
        JourneyDefinition other = JourneyJson.parse("shop", "other", graph("a", "{\"a\":{\"type\":\"exit\"}}"), JourneyFixtures.CONTEXT);

        assertEquals(List.of("mapping"), StepMapping.validate(v1, other, Map.of()).stream().map(FieldError::field).toList());
    }

    @Test
    void shouldPreviewWhereTheMappedRunsMoveAndHowManyStay() {
        Map<String, Long> runs = Map.of("wait", 40L, "pause", 7L, "ab", 3L, "nudge", 0L, "crm", 5L);

        StepMapping.Preview p = StepMapping.preview(runs, Map.of("pause", "rest", "ab", "rest", "wait", "wait"));

        assertEquals(Map.of("rest", 10L, "wait", 40L), p.movedTo());
        assertEquals(5L, p.staying());
        assertEquals(50L, p.moving());
    }

    @Test
    void shouldMoveNothingWithAnEmptyMapping() {
        StepMapping.Preview p = StepMapping.preview(Map.of("wait", 4L, "crm", 1L), Map.of());

        assertEquals(Map.of(), p.movedTo());
        assertEquals(5L, p.staying());
    }

    @Test
    void shouldRefuseANegativeRunCount() {
        assertThrows(IllegalArgumentException.class, () -> StepMapping.preview(Map.of("wait", -1L), Map.of()));
    }
}
