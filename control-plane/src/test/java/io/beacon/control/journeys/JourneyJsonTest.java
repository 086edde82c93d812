package io.beacon.control.journeys;

import static io.beacon.control.journeys.JourneyFixtures.CONTEXT;
import static io.beacon.control.journeys.JourneyFixtures.error;
import static io.beacon.control.journeys.JourneyFixtures.errors;
import static io.beacon.control.journeys.JourneyFixtures.fields;
import static io.beacon.control.journeys.JourneyFixtures.graph;
import static io.beacon.control.journeys.JourneyFixtures.object;
import static io.beacon.control.journeys.JourneyFixtures.parse;
import static io.beacon.control.journeys.JourneyFixtures.welcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.beacon.control.FieldError;
import io.beacon.control.InvalidDocumentException;
import io.beacon.control.audience.Cmp;
import io.beacon.control.audience.EventMatch;
import io.beacon.control.audience.Rule;
import io.beacon.control.audience.TraitOp;
import io.beacon.control.store.ConfigEntry;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JourneyJsonTest {

    private static ObjectNode step(ObjectNode body, String id) {
        return (ObjectNode) body.get("steps").get(id);
    }

    // ---- reading a valid journey ---------------------------------------------------------------

    @Test
    void shouldReadEveryPartOfTheWelcomeJourney() {
        JourneyDefinition d = parse(welcome());

        assertEquals("shop", d.projectId());
        assertEquals("welcome", d.id());
        assertEquals("Welcome", d.name());
        assertEquals("First week", d.description());
        assertEquals(JourneyStatus.LIVE, d.status());
        assertEquals(3, d.journeyVersion());
        assertEquals(5, d.priority());
        assertEquals(new Trigger.SegmentEntered("new_users"), d.trigger());
        assertEquals("push1", d.entry());
        assertEquals(List.of("push1", "wait", "big", "nudge", "ab", "pause", "crm", "done"), List.copyOf(d.steps().keySet()));
        assertEquals(List.of(new Criterion.EventOccurs(EventMatch.named("unsubscribe")),
                new Criterion.RuleHolds(new Rule.ScoreCondition("churn_risk", Cmp.GTE, 0.9))), d.exitCriteria());
        assertEquals(new Goal(EventMatch.named("purchase"), Duration.ofDays(7)), d.goal());
        assertEquals(ReEntry.after(Duration.ofDays(30)), d.reEntry());
        assertEquals(new QuietHours(LocalTime.of(22, 0), LocalTime.of(8, 0), QuietHours.Action.SKIP), d.quietHours());
        assertEquals(PauseBehaviour.CONTINUE, d.pauseBehaviour());
    }

    @Test
    void shouldReadEachStepTypeIntoItsRecord() {
        JourneyDefinition d = parse(welcome());

        Step.Send push = assertInstanceOf(Step.Send.class, d.steps().get("push1"));
        assertEquals("fcm", push.destinationId());
        assertEquals("push", push.channel());
        assertEquals("wait", push.next());
        assertEquals(List.of("title", "body"), List.copyOf(push.template().keySet()));
        assertEquals(List.of("journey.name", "step.id"), List.copyOf(push.template().get("body").variables()));

        Step.WaitUntil wait = assertInstanceOf(Step.WaitUntil.class, d.steps().get("wait"));
        Criterion.EventOccurs purchase = assertInstanceOf(Criterion.EventOccurs.class, wait.until());
        assertEquals("purchase", purchase.match().event());
        assertEquals(1, EventFilters.filters(purchase.match()).size());
        assertEquals(Duration.ofDays(2), wait.maxWait());
        assertEquals(Map.of("next", "big", "timeout_next", "nudge"), wait.successors());

        Step.Branch big = assertInstanceOf(Step.Branch.class, d.steps().get("big"));
        assertEquals(new Rule.TraitCondition("plan", TraitOp.EQ, TextNode.valueOf("pro")), big.condition());
        assertEquals(Map.of("then", "crm", "else", "done"), big.successors());

        assertEquals(new Step.Delay("nudge", null, LocalTime.of(9, 0), "ab"), d.steps().get("nudge"));
        assertEquals(new Step.Delay("pause", Duration.ofHours(12), null, "done"), d.steps().get("pause"));
        assertEquals(new Step.RandomSplit("ab", List.of(new Step.SplitBranch(30, "crm"), new Step.SplitBranch(70, "pause"))),
                d.steps().get("ab"));
        assertEquals(new Step.UpdateTraits("crm", Map.of("welcomed", BooleanNode.TRUE, "tier", TextNode.valueOf("gold")), "done"),
                d.steps().get("crm"));
        assertEquals(new Step.Exit("done"), d.steps().get("done"));
    }

    @Test
    void shouldFillTheDefaultsOfAMinimalJourney() {
        JourneyDefinition d = parse(graph("a", "{\"a\":{\"type\":\"exit\"}}"));

        assertEquals(JourneyStatus.DRAFT, d.status());
        assertEquals(1, d.journeyVersion());
        assertEquals(0, d.priority());
        assertEquals(ReEntry.ONCE, d.reEntry());
        assertEquals(PauseBehaviour.HOLD, d.pauseBehaviour());
        assertEquals(List.of(), d.exitCriteria());
        assertNull(d.goal());
        assertNull(d.quietHours());
        assertNull(d.description());
        assertEquals(new Trigger.Event(EventMatch.named("signup")), d.trigger());
    }

    @Test
    void shouldReadEventAndScoreTriggers() {
        ObjectNode body = welcome();
        body.set("trigger", object("{\"type\":\"event\",\"event\":\"signup\",\"filters\":[{\"property\":\"plan\",\"op\":\"exists\"}]}"));
        Trigger.Event event = assertInstanceOf(Trigger.Event.class, parse(body).trigger());
        assertEquals("signup", event.match().event());
        assertTrue(event.match().filtered());

        body.set("trigger", object("{\"type\":\"score_crossed\",\"score\":\"ltv_predicted\",\"op\":\"below\",\"threshold\":20.5}"));
        assertEquals(new Trigger.ScoreCrossed("ltv_predicted", Trigger.Crossing.BELOW, 20.5), parse(body).trigger());

        body.set("trigger", object("{\"type\":\"segment_exited\",\"segment_id\":\"vip\"}"));
        assertEquals(new Trigger.SegmentExited("vip"), parse(body).trigger());
    }

    // ---- round trips ---------------------------------------------------------------------------

    @Test
    void shouldParseItsOwnDocumentBackEqual() {
        JourneyDefinition d = parse(welcome());

        ObjectNode doc = JourneyJson.toDocument(d);

        assertEquals(d, JourneyJson.parse("shop", "welcome", doc, CONTEXT));
        assertEquals(doc, JourneyJson.toDocument(JourneyJson.parse("shop", "welcome", doc, CONTEXT)));
    }

    @Test
    void shouldRoundTripAMinimalJourneyAndEveryTriggerAndCriterionKind() {
        for (String trigger : List.of("{\"type\":\"segment_exited\",\"segment_id\":\"vip\"}",
                "{\"type\":\"event\",\"event\":\"signup\",\"filters\":[{\"property\":\"n\",\"op\":\"lt\",\"value\":3}]}",
                "{\"type\":\"score_crossed\",\"score\":\"churn_risk\",\"op\":\"above\",\"threshold\":0.7}")) {
            ObjectNode body = graph("w", """
                    {"w":{"type":"wait_until","condition":{"last_seen_within":"P1D"},"max_wait":"PT90M","next":"x","timeout_next":"x"},
                     "x":{"type":"exit"}}""");
            body.set("trigger", object(trigger));
            JourneyDefinition d = parse(body);

            assertEquals(d, parse(JourneyJson.toDocument(d)), trigger);
        }
    }

    @Test
    void shouldWriteTheDocumentWithoutAVersionFieldAndTheApiJsonWithIt() {
        JourneyDefinition d = parse(welcome()).withVersion(4, 1_700_000_000_000L);

        ObjectNode doc = JourneyJson.toDocument(d);
        ObjectNode api = JourneyJson.toApiJson(d);

        assertFalse(doc.has("version"));
        assertEquals(3, doc.get("journey_version").asInt());
        assertEquals("P2D", doc.get("steps").get("wait").get("max_wait").asText());
        assertEquals("09:00", doc.get("steps").get("nudge").get("until_local_time").asText());
        assertEquals("2023-11-14T22:13:20Z", doc.get("updated_at").asText());
        assertEquals(4, api.get("version").asLong());
        assertEquals("shop", api.get("project_id").asText());
    }

    @Test
    void shouldReadAStoredEntryWithItsStoreVersionAndUpdateTime() {
        JourneyDefinition d = parse(welcome()).withVersion(0, Instant.parse("2026-01-02T03:04:05Z").toEpochMilli());
        ObjectNode stored = JourneyJson.toDocument(d);
        stored.put("version", 7);

        JourneyDefinition read = JourneyJson.fromEntry(new ConfigEntry(JourneyDefinition.key("shop", "welcome"), 7, stored),
                JourneyContext.unchecked());

        assertEquals(d.withVersion(7, d.updatedAtMs()), read);
    }

    // ---- refusals ------------------------------------------------------------------------------

    @Test
    void shouldListEveryProblemNotJustTheFirst() {
        ObjectNode body = welcome();
        body.put("colour", "red");
        body.put("priority", "high");
        step(body, "pause").put("duration", "soon");
        step(body, "nudge").put("until_local_time", "9am");
        ((ObjectNode) step(body, "push1").get("template")).put("title", "Hi {{trait.name}}");

        assertEquals(List.of("colour", "priority", "steps.push1.template.title", "steps.nudge.until_local_time", "steps.pause.duration"),
                fields(body));
    }

    @Test
    void shouldRefuseAnAbsentNextNamingTheStep() {
        ObjectNode body = welcome();
        step(body, "crm").remove("next");

        FieldError e = error(body, "steps.crm.next");

        assertTrue(e.message().startsWith("step 'crm': is required"), e.message());
        assertTrue(e.message().contains("exit"), e.message());
    }

    @Test
    void shouldRefuseANextOnAnExitStep() {
        ObjectNode body = welcome();
        step(body, "done").put("next", "push1");

        assertEquals(List.of("steps.done.next"), fields(body));
    }

    @Test
    void shouldRefuseUnknownStepAndTriggerTypes() {
        ObjectNode body = welcome();
        step(body, "crm").put("type", "sms");
        body.set("trigger", object("{\"type\":\"page_viewed\"}"));

        List<FieldError> errors = errors(body);

        assertEquals(List.of("trigger.type", "steps.crm.type"), errors.stream().map(FieldError::field).toList());
        assertTrue(errors.get(0).message().contains("'page_viewed'"), errors.get(0).message());
        assertTrue(errors.get(1).message().startsWith("step 'crm': unknown step type 'sms'"), errors.get(1).message());
    }

    @Test
    void shouldRefuseMissingRequiredFields() {
        ObjectNode body = object("{\"steps\":{\"s\":{\"type\":\"send\"},\"w\":{\"type\":\"wait_until\"}}}");

        assertEquals(List.of("name", "trigger", "entry", "steps.s.destination_id", "steps.s.channel", "steps.s.template",
                "steps.s.next", "steps.w", "steps.w.max_wait", "steps.w.next", "steps.w.timeout_next"), fields(body));
    }

    @Test
    void shouldRefuseWrongJsonTypes() {
        ObjectNode body = welcome();
        body.put("steps", "push1");
        body.put("journey_version", 1.5);
        body.set("exit_criteria", object("{}"));
        body.put("goal", 7);
        body.put("status", true);

        assertEquals(List.of("status", "journey_version", "steps", "exit_criteria", "goal"), fields(body));
    }

    @Test
    void shouldRefuseMalformedLocalTimes() {
        for (String bad : List.of("24:00", "9:00", "09:60", "09:00:00", "")) {
            ObjectNode body = welcome();
            ((ObjectNode) body.get("quiet_hours")).put("start", bad);
            step(body, "nudge").put("until_local_time", bad);

            assertEquals(List.of("steps.nudge.until_local_time", "quiet_hours.start"), fields(body), bad);
        }
    }

    @Test
    void shouldRefuseADelayWithBothOrNeitherOfItsForms() {
        ObjectNode both = welcome();
        step(both, "nudge").put("duration", "P1D");
        ObjectNode neither = welcome();
        step(neither, "nudge").remove("until_local_time");

        assertEquals(List.of("steps.nudge"), fields(both));
        assertEquals(List.of("steps.nudge"), fields(neither));
        assertTrue(error(both, "steps.nudge").message().contains("exactly one of duration"));
    }

    @Test
    void shouldRefuseAWaitWithBothAnEventAndACondition() {
        ObjectNode body = welcome();
        step(body, "wait").set("condition", object("{\"last_seen_within\":\"P1D\"}"));

        assertEquals(List.of("steps.wait"), fields(body));
    }

    @Test
    void shouldMapATemplateErrorToTheStepsTemplateField() {
        ObjectNode body = welcome();
        ((ObjectNode) step(body, "push1").get("template")).put("body", "Bye {{journey.owner}}");

        FieldError e = error(body, "steps.push1.template.body");

        assertTrue(e.message().startsWith("step 'push1': uses the unknown variable 'journey.owner'"), e.message());
        assertTrue(e.message().contains("journey.id"), e.message());
    }

    @Test
    void shouldMapARuleErrorToTheStepsConditionPath() {
        ObjectNode body = welcome();
        step(body, "big").set("condition", object("{\"trait\":{\"name\":\"plan\",\"op\":\"like\",\"value\":\"p\"}}"));

        assertEquals(List.of("steps.big.condition.trait.op"), fields(body));
    }

    @Test
    void shouldRefuseFiltersOutsideTheSubscriptionGrammar() {
        ObjectNode body = welcome();
        step(body, "wait").set("event", object("{\"event\":\"purchase\",\"filters\":[{\"property\":\"total\",\"op\":\"gte\","
                + "\"value\":1},{\"property\":\"sku\",\"op\":\"gt\",\"value\":\"A\"},{\"property\":\"x\",\"op\":\"exists\",\"value\":1}]}"));

        assertEquals(List.of("steps.wait.event.filters[0].op", "steps.wait.event.filters[1].value", "steps.wait.event.filters[2].value"),
                fields(body));
    }

    @Test
    void shouldRefuseABadStepIdAndAnIdMismatch() {
        ObjectNode body = graph("a", "{\"a\":{\"type\":\"exit\"},\"b c\":{\"type\":\"exit\"}}");
        body.put("id", "other");

        List<FieldError> errors = assertThrows(InvalidDocumentException.class,
                () -> JourneyJson.parse("shop", "j1", body, CONTEXT)).errors();
        assertEquals(List.of("id", "steps.b c"), errors.stream().map(FieldError::field).toList());
    }

    @Test
    void shouldRefuseReEntryAndQuietHoursProblems() {
        ObjectNode body = welcome();
        body.set("re_entry", object("{\"policy\":\"after\"}"));
        ((ObjectNode) body.get("quiet_hours")).put("action", "drop");

        assertEquals(List.of("re_entry.cooldown", "quiet_hours.action"), fields(body));

        body.set("re_entry", object("{\"policy\":\"once\",\"cooldown\":\"P1D\"}"));
        assertTrue(fields(body).contains("re_entry.cooldown"));
    }

    @Test
    void shouldIgnoreTheStoresVersionFieldAndKeepTheJourneyVersion() {
        ObjectNode body = welcome();
        body.put("version", 12);

        assertEquals(3, parse(body).journeyVersion());
        assertEquals(0, parse(body).version());
    }
}
