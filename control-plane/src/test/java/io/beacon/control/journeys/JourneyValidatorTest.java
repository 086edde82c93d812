package io.beacon.control.journeys;

import static io.beacon.control.journeys.JourneyFixtures.CONTEXT;
import static io.beacon.control.journeys.JourneyFixtures.error;
import static io.beacon.control.journeys.JourneyFixtures.fields;
import static io.beacon.control.journeys.JourneyFixtures.graph;
import static io.beacon.control.journeys.JourneyFixtures.object;
import static io.beacon.control.journeys.JourneyFixtures.parse;
import static io.beacon.control.journeys.JourneyFixtures.welcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.FieldError;
import io.beacon.control.InvalidDocumentException;
import io.beacon.control.audience.EventMatch;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JourneyValidatorTest {

    private static ObjectNode step(ObjectNode body, String id) {
        return (ObjectNode) body.get("steps").get(id);
    }

    // ---- references ----------------------------------------------------------------------------

    @Test
    void shouldRefuseEveryDanglingReferenceNamingTheStepAndTheTarget() {
        ObjectNode body = welcome();
        body.put("entry", "start");
        step(body, "push1").put("next", "nowhere");
        step(body, "wait").put("timeout_next", "later");
        step(body, "big").put("else", "other");
        ((ObjectNode) step(body, "ab").get("branches").get(1)).put("next", "gone");

        assertEquals(List.of("entry", "steps.push1.next", "steps.wait.timeout_next", "steps.big.else", "steps.ab.branches[1].next"),
                fields(body));
        FieldError next = error(body, "steps.push1.next");
        assertEquals("step 'push1': next names 'nowhere', which is not a step of the journey", next.message());
        assertEquals("the entry step 'start' is not a step of the journey", error(body, "entry").message());
    }

    @Test
    void shouldRefuseUnreachableStepsNamingEachOne() {
        ObjectNode body = graph("a", """
                {"a":{"type":"exit"},
                 "orphan":{"type":"delay","duration":"P1D","next":"lost"},
                 "lost":{"type":"exit"}}""");

        assertEquals(List.of("steps.orphan", "steps.lost"), fields(body));
        assertEquals("step 'orphan' is not reachable from the entry step 'a'", error(body, "steps.orphan").message());
    }

    @Test
    void shouldRefuseAnUnknownDestinationAndAnUnknownSegment() {
        ObjectNode body = welcome();
        step(body, "push1").put("destination_id", "sendgrid");
        body.set("trigger", object("{\"type\":\"segment_entered\",\"segment_id\":\"gold\"}"));

        assertEquals(List.of("trigger.segment_id", "steps.push1.destination_id"), fields(body));
        assertTrue(error(body, "steps.push1.destination_id").message().startsWith("step 'push1': destination_id names 'sendgrid'"));
    }

    // ---- cycles --------------------------------------------------------------------------------

    @Test
    void shouldRefuseACycleWithoutADelayOrAWaitAtTheFieldThatClosesIt() {
        ObjectNode body = graph("a", """
                {"a":{"type":"update_traits","set":{"n":1},"next":"b"},
                 "b":{"type":"branch","condition":{"last_seen_within":"P1D"},"then":"done","else":"a"},
                 "done":{"type":"exit"}}""");

        FieldError e = error(body, "steps.b.else");

        assertEquals(List.of("steps.b.else"), fields(body));
        assertTrue(e.message().startsWith("step 'b': else goes back to 'a', closing the cycle a → b → a"), e.message());
    }

    @Test
    void shouldRefuseAStepThatGoesToItself() {
        ObjectNode body = graph("a", """
                {"a":{"type":"random_split","branches":[{"percent":50,"next":"a"},{"percent":50,"next":"done"}]},
                 "done":{"type":"exit"}}""");

        assertEquals(List.of("steps.a.branches[0].next"), fields(body));
    }

    @Test
    void shouldAllowACycleThroughADelay() {
        JourneyDefinition d = parse(graph("send", """
                {"send":{"type":"send","destination_id":"fcm","channel":"push","template":{"body":"again"},"next":"check"},
                 "check":{"type":"branch","condition":{"last_seen_within":"P7D"},"then":"done","else":"later"},
                 "later":{"type":"delay","duration":"P1D","next":"send"},
                 "done":{"type":"exit"}}"""));

        assertEquals(4, d.steps().size());
    }

    @Test
    void shouldAllowACycleThroughAWaitUntil() {
        JourneyDefinition d = parse(graph("w", """
                {"w":{"type":"wait_until","event":{"event":"open"},"max_wait":"P1D","next":"w","timeout_next":"x"},
                 "x":{"type":"exit"}}"""));

        assertEquals(Set.of("w", "x"), d.steps().keySet());
    }

    @Test
    void shouldRefuseTheDelayFreeCycleBesideAnAllowedOne() {
        // a → b → a waits in b's delay; c → d → c never waits.
        ObjectNode body = graph("a", """
                {"a":{"type":"branch","condition":{"last_seen_within":"P1D"},"then":"b","else":"c"},
                 "b":{"type":"delay","until_local_time":"09:00","next":"a"},
                 "c":{"type":"update_traits","set":{"x":"y"},"next":"d"},
                 "d":{"type":"branch","condition":{"last_seen_within":"P1D"},"then":"c","else":"e"},
                 "e":{"type":"exit"}}""");

        assertEquals(List.of("steps.d.then"), fields(body));
    }

    // ---- numbers -------------------------------------------------------------------------------

    @Test
    void shouldRefuseSplitPercentsThatDoNotSumTo100() {
        ObjectNode body = welcome();
        ((ObjectNode) step(body, "ab").get("branches").get(0)).put("percent", 20);

        FieldError e = error(body, "steps.ab.branches");

        assertEquals(List.of("steps.ab.branches"), fields(body));
        assertEquals("step 'ab': the branches' percents must sum to 100, they sum to 90", e.message());
    }

    @Test
    void shouldRefuseAZeroOrNegativePercentAndASingleBranch() {
        ObjectNode body = graph("s", """
                {"s":{"type":"random_split","branches":[{"percent":0,"next":"x"},{"percent":110,"next":"x"},{"percent":-10,"next":"x"}]},
                 "t":{"type":"random_split","branches":[{"percent":100,"next":"x"}]},
                 "x":{"type":"exit"}}""");
        ((ObjectNode) body.get("steps").get("s").get("branches").get(1)).put("next", "t");

        assertEquals(List.of("steps.s.branches[0].percent", "steps.s.branches[1].percent", "steps.s.branches[2].percent",
                "steps.t.branches"), fields(body));
    }

    @Test
    void shouldRefuseZeroAndNegativeDurations() {
        ObjectNode body = welcome();
        step(body, "pause").put("duration", "PT0S");
        step(body, "wait").put("max_wait", "-P1D");
        ((ObjectNode) body.get("goal")).put("window", "P0D");
        ((ObjectNode) body.get("re_entry")).put("cooldown", "PT-1H");

        assertEquals(List.of("goal.window", "re_entry.cooldown", "steps.wait.max_wait", "steps.pause.duration"), fields(body));
        assertEquals("step 'wait': max_wait must be positive, was PT-24H", error(body, "steps.wait.max_wait").message());
    }

    @Test
    void shouldRefuseADurationAboveTenYears() {
        ObjectNode body = welcome();
        step(body, "pause").put("duration", "P3651D");

        assertEquals(List.of("steps.pause.duration"), fields(body));
    }

    @Test
    void shouldRefuseQuietHoursThatEndWhenTheyStartAJourneyVersionBelowOneAndAnUnknownScore() {
        ObjectNode body = welcome();
        ((ObjectNode) body.get("quiet_hours")).put("end", "22:00");
        body.put("journey_version", 0);
        body.set("trigger", object("{\"type\":\"score_crossed\",\"score\":\"happiness\",\"op\":\"above\",\"threshold\":1}"));

        assertEquals(List.of("trigger.score", "journey_version", "quiet_hours.end"), fields(body));

        body.set("trigger", object("{\"type\":\"score_crossed\",\"score\":\"churn_risk\",\"op\":\"above\",\"threshold\":1.5}"));
        assertEquals(List.of("trigger.threshold", "journey_version", "quiet_hours.end"), fields(body));
    }

    // ---- partial documents and code-built definitions -------------------------------------------

    @Test
    void shouldReportGraphProblemsBesideShapeProblemsWithoutCallingUnreadableStepsDangling() {
        ObjectNode body = welcome();
        step(body, "crm").put("type", "sms");          // unreadable: references to crm are not dangling
        step(body, "push1").put("destination_id", "sendgrid");
        step(body, "pause").put("next", "nowhere");

        assertEquals(List.of("steps.crm.type", "steps.push1.destination_id", "steps.pause.next"), fields(body));
    }

    @Test
    void shouldValidateADefinitionBuiltInCode() {
        Map<String, Step> steps = new LinkedHashMap<>();
        steps.put("loop", new Step.UpdateTraits("loop", Map.of(), "loop"));
        steps.put("d", new Step.Delay("d", Duration.ZERO, null, "loop"));
        JourneyDefinition def = new JourneyDefinition("shop", "j", "J", null, JourneyStatus.DRAFT, 1, 0,
                new Trigger.Event(EventMatch.named("signup")), "loop", steps, List.of(), null, ReEntry.ALWAYS, null,
                PauseBehaviour.HOLD, 0, 0);

        List<FieldError> errors = JourneyValidator.validate(def, CONTEXT);

        assertEquals(List.of("steps.d.duration", "steps.d", "steps.loop.next"), errors.stream().map(FieldError::field).toList());
        InvalidDocumentException e = assertThrows(InvalidDocumentException.class, () -> JourneyValidator.requireValid(def, CONTEXT));
        assertEquals(errors, e.errors());
    }

    @Test
    void shouldAcceptTheWelcomeJourneyWithNoErrors() {
        assertEquals(List.of(), JourneyValidator.validate(parse(welcome()), CONTEXT));
    }
}
