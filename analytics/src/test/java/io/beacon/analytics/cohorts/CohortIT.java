package io.beacon.analytics.cohorts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.analytics.AnalyticsSettings;
import io.beacon.analytics.testing.AnalyticsDb;
import io.beacon.analytics.testing.AnalyticsServer;
import io.beacon.analytics.testing.TestEvent;
import io.beacon.control.project.Project;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Cohorts on ClickHouse 18.16 against {@link CohortReference}: the same generated events in a project east of
 * UTC (Asia/Kolkata) and one west (America/Los_Angeles), with events exactly at and 1 ms before the start of
 * each "last D days" window of each zone, exactly-N counts at that boundary, sequences at exactly the window
 * and 1 ms over it, anonymous ids merged into users (events and person properties), evaluated at a fixed now.
 */
@ExtendWith(BeaconStackExtension.class)
class CohortIT {
    static final Instant NOW = Instant.parse("2026-03-20T10:30:00Z");
    static final String[] PROJECTS = {"ce", "cw"};
    static final Map<String, ZoneId> ZONES = Map.of("ce", ZoneId.of("Asia/Kolkata"), "cw", ZoneId.of("America/Los_Angeles"));
    static final long HOUR = 3_600_000L;

    /** Cohort id → definition JSON. */
    static final Map<String, String> DEFINITIONS = new LinkedHashMap<>();

    static {
        DEFINITIONS.put("c-gte", "{\"type\":\"performed\",\"event\":\"purchase\",\"op\":\"gte\",\"count\":3,\"days\":7}");
        DEFINITIONS.put("c-eq", "{\"type\":\"performed\",\"event\":\"purchase\",\"op\":\"eq\",\"count\":2,\"days\":7}");
        DEFINITIONS.put("c-lte", "{\"type\":\"performed\",\"event\":\"view\",\"op\":\"lte\",\"count\":1,\"days\":3}");
        DEFINITIONS.put("c-not", "{\"type\":\"not_performed\",\"event\":\"signup\",\"days\":14}");
        DEFINITIONS.put("c-seq", "{\"type\":\"sequence\",\"first\":{\"event\":\"view\"},\"then\":{\"event\":\"purchase\"},"
                + "\"within\":{\"value\":1,\"unit\":\"hour\"},\"days\":10}");
        DEFINITIONS.put("c-prop", "{\"type\":\"person_property\",\"property\":\"person.plan\",\"op\":\"eq\",\"value\":\"pro\"}");
        DEFINITIONS.put("c-filt", "{\"type\":\"performed\",\"event\":\"purchase\",\"filters\":[{\"property\":\"properties.price\",\"op\":\"gt\",\"value\":50}],"
                + "\"count\":1,\"days\":10}");
        DEFINITIONS.put("c-tree", "{\"type\":\"and\",\"rules\":[{\"type\":\"or\",\"rules\":[" + "{\"type\":\"performed\",\"event\":\"purchase\",\"op\":\"gte\",\"count\":3,\"days\":7},"
                + "{\"type\":\"sequence\",\"first\":{\"event\":\"view\"},\"then\":{\"event\":\"purchase\"},\"within\":{\"value\":1,\"unit\":\"hour\"},\"days\":10}]},"
                + "{\"type\":\"not\",\"rule\":{\"type\":\"not_performed\",\"event\":\"signup\",\"days\":14}},"
                + "{\"type\":\"not\",\"rule\":{\"type\":\"person_property\",\"property\":\"person.plan\",\"op\":\"eq\",\"value\":\"free\"}}]}");
    }

    static AnalyticsDb db;
    static AnalyticsServer server;
    static final List<TestEvent> EVENTS = new ArrayList<>();
    static final Map<String, String> LINKS = new LinkedHashMap<>();
    static final Map<String, String> PLANS = new HashMap<>();

    @BeforeAll
    static void start(TestStack stack) throws Exception {
        db = new AnalyticsDb(stack, "cohorts");
        generate();
        server = new AnalyticsServer(db, AnalyticsSettings.defaults(), Clock.fixed(NOW, ZoneOffset.UTC));
        for (String p : PROJECTS) {
            server.project(p, ZONES.get(p).getId());
            db.insert(p, EVENTS);
            for (Map.Entry<String, String> l : LINKS.entrySet()) {
                db.link(p, l.getKey(), l.getValue());
            }
            insertPlans(p);
            for (Map.Entry<String, String> d : DEFINITIONS.entrySet()) {
                AnalyticsServer.ok(server.postJson("/api/v1/cohorts", p,
                        "{\"id\":\"" + d.getKey() + "\",\"name\":\"" + d.getKey() + "\",\"definition\":" + d.getValue() + "}"));
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        db.close();
    }

    static void generate() {
        Random r = new Random(42);
        String[] names = {"view", "signup", "purchase"};
        int id = 0;
        for (int i = 0; i < 700; i++) {
            String person = "u" + r.nextInt(40);
            if (r.nextInt(5) == 0) {
                person = "anon-" + person;
            }
            long t = NOW.toEpochMilli() - (long) (r.nextDouble() * 20 * 86_400_000L);
            if (r.nextInt(8) == 0) {
                t -= t % 60_000; // equal timestamps
            }
            EVENTS.add(new TestEvent("g" + id++, person, names[r.nextInt(3)], t, "DE", Map.of("price", r.nextInt(100))));
        }
        for (int k = 0; k < 40; k++) {
            LINKS.put("anon-u" + k, "u" + k);
        }
        // Window edges of each zone: at the first millisecond of "the last D days" (in) and 1 ms before (out).
        for (String p : PROJECTS) {
            ZoneId z = ZONES.get(p);
            for (int days : new int[] {3, 7, 10, 14}) {
                long b = CohortSql.windowStart(NOW, z, days).toEpochMilli();
                for (String name : names) {
                    EVENTS.add(new TestEvent("in-" + p + days + name, "in-" + p + "-" + days, name, b, "DE", Map.of("price", 60)));
                    EVENTS.add(new TestEvent("out-" + p + days + name, "out-" + p + "-" + days, name, b - 1, "DE", Map.of("price", 60)));
                }
            }
            long b7 = CohortSql.windowStart(NOW, z, 7).toEpochMilli();
            // Exactly 3 purchases in the last 7 days with the first at the boundary; exactly 2 when it is 1 ms before.
            for (int i = 0; i < 3; i++) {
                EVENTS.add(new TestEvent("x3-" + p + i, "x3-" + p, "purchase", i == 0 ? b7 : b7 + i * HOUR, "DE", Map.of()));
                EVENTS.add(new TestEvent("x2-" + p + i, "x2-" + p, "purchase", i == 0 ? b7 - 1 : b7 + i * HOUR, "DE", Map.of()));
            }
            long b10 = CohortSql.windowStart(NOW, z, 10).toEpochMilli();
            EVENTS.add(new TestEvent("sq-" + p + "v", "sq-" + p, "view", b10, "DE", Map.of()));
            EVENTS.add(new TestEvent("sq-" + p + "p", "sq-" + p, "purchase", b10 + HOUR, "DE", Map.of()));
            EVENTS.add(new TestEvent("sqo-" + p + "v", "sqo-" + p, "view", b10 + 5_000, "DE", Map.of()));
            EVENTS.add(new TestEvent("sqo-" + p + "p", "sqo-" + p, "purchase", b10 + 5_000 + HOUR + 1, "DE", Map.of()));
            EVENTS.add(new TestEvent("sqs-" + p + "v", "sqs-" + p, "view", b10 + 9_000, "DE", Map.of()));
            EVENTS.add(new TestEvent("sqs-" + p + "p", "sqs-" + p, "purchase", b10 + 9_000, "DE", Map.of()));
            EVENTS.add(new TestEvent("sqb-" + p + "v", "sqb-" + p, "view", b10 - 1, "DE", Map.of()));
            EVENTS.add(new TestEvent("sqb-" + p + "p", "sqb-" + p, "purchase", b10 + 1_000, "DE", Map.of()));
        }
        for (int k = 0; k < 40; k++) {
            PLANS.put("u" + k, k % 2 == 0 ? "pro" : "free");
        }
        PLANS.put("u5", "pro"); // anon-u5's later $set wins over u5's own (merged person)
        PLANS.put("x3-ce", "free");
    }

    static void insertPlans(String project) {
        List<String> rows = new ArrayList<>();
        for (int k = 0; k < 40; k++) {
            rows.add(personRow(project, "u" + k, k % 2 == 0 ? "pro" : "free", 1));
        }
        rows.add(personRow(project, "anon-u5", "pro", 2));
        rows.add(personRow(project, "x3-ce", "free", 1));
        db.clickhouse().insertJsonEachRow("persons", rows);
    }

    static String personRow(String project, String person, String plan, int version) {
        return "{\"project_id\":\"" + project + "\",\"person_id\":\"" + person + "\",\"key\":\"plan\",\"value\":\"" + plan
                + "\",\"set_once\":0,\"event_time\":\"2026-03-01 00:00:00\",\"event_time_ms\":1772323200000,\"event_id\":\"p-" + person
                + "\",\"version\":" + version + ",\"inserted_at\":\"2026-03-01 00:00:00\"}";
    }

    static CohortReference reference(String project) {
        return new CohortReference(EVENTS, LINKS, PLANS, NOW, ZONES.get(project));
    }

    /** The reference members of each cohort of {@link #DEFINITIONS}. */
    static Set<String> expected(String project, String cohort) {
        CohortReference ref = reference(project);
        Predicate<TestEvent> view = CohortReference.named("view");
        Predicate<TestEvent> purchase = CohortReference.named("purchase");
        return switch (cohort) {
            case "c-gte" -> ref.performed(purchase, "gte", 3, 7);
            case "c-eq" -> ref.performed(purchase, "eq", 2, 7);
            case "c-lte" -> ref.performed(view, "lte", 1, 3);
            case "c-not" -> ref.performed(CohortReference.named("signup"), "eq", 0, 14);
            case "c-seq" -> ref.sequence(view, purchase, HOUR, 10);
            case "c-prop" -> ref.plan("pro");
            case "c-filt" -> ref.performed(purchase.and(e -> e.properties().get("price") instanceof Integer i && i > 50), "gte", 1, 10);
            case "c-tree" -> CohortReference.and(CohortReference.and(
                    CohortReference.or(ref.performed(purchase, "gte", 3, 7), ref.sequence(view, purchase, HOUR, 10)),
                    ref.not(ref.performed(CohortReference.named("signup"), "eq", 0, 14))), ref.not(ref.plan("free")));
            default -> throw new IllegalArgumentException(cohort);
        };
    }

    @Test
    void shouldCountAndListEveryCohortLikeTheReferenceEastAndWestOfUtc() throws Exception {
        for (String p : PROJECTS) {
            for (String c : DEFINITIONS.keySet()) {
                Set<String> want = expected(p, c);
                assertTrue(want.size() > 0 && want.size() < reference(p).universe().size(), p + "/" + c + " is a real subset: " + want.size());
                JsonNode count = AnalyticsServer.ok(server.get("/api/v1/cohorts/" + c + "/count", p));
                assertEquals(want.size(), count.get("count").asLong(), p + "/" + c);
                List<String> paged = new ArrayList<>();
                int offset = 0;
                while (true) {
                    JsonNode page = AnalyticsServer.ok(server.get("/api/v1/cohorts/" + c + "/members?limit=7&offset=" + offset, p));
                    page.get("persons").forEach(n -> paged.add(n.asText()));
                    if (!page.has("next_offset")) {
                        break;
                    }
                    offset = page.get("next_offset").asInt();
                }
                assertEquals(new ArrayList<>(want), paged, p + "/" + c);
                HttpResponse<String> csv = server.get("/api/v1/cohorts/" + c + "/members.csv", p);
                assertEquals(200, csv.statusCode());
                assertEquals("person_id\n" + String.join("\n", want) + "\n", csv.body(), p + "/" + c);
            }
        }
    }

    @Test
    void shouldPlaceTheWindowBoundariesAsDefined() {
        // Spelled out for one zone each, beside the generic comparison.
        assertTrue(expected("ce", "c-gte").contains("x3-ce"));
        assertTrue(expected("ce", "c-eq").contains("x2-ce"));
        assertTrue(!expected("ce", "c-eq").contains("x3-ce"));
        assertTrue(expected("cw", "c-seq").contains("sq-cw"));
        assertTrue(!expected("cw", "c-seq").contains("sqo-cw") && !expected("cw", "c-seq").contains("sqs-cw") && !expected("cw", "c-seq").contains("sqb-cw"));
        assertTrue(expected("cw", "c-not").contains("out-cw-14") && !expected("cw", "c-not").contains("in-cw-14"));
    }

    @Test
    void shouldFilterTrendsByCohortMembershipAndNonMembership() throws Exception {
        for (String p : PROJECTS) {
            Project project = server.analytics().projects().byId(p).orElseThrow();
            ZoneId zone = ZONES.get(p);
            for (String c : List.of("c-tree", "c-gte", "c-prop")) {
                for (boolean in : new boolean[] {true, false}) {
                    Set<String> members = expected(p, c);
                    String body = "{\"analysis\":\"trends\",\"date_range\":{\"from\":\"2026-03-05\",\"to\":\"2026-03-20\"},\"interval\":\"day\","
                            + "\"series\":[{\"event\":\"purchase\"},{\"event\":\"view\",\"math\":\"unique_persons\"}],"
                            + "\"filters\":[{\"cohort\":\"" + c + "\",\"op\":\"" + (in ? "in" : "not_in") + "\"}]}";
                    JsonNode result = server.analytics().answer(project, "test", AnalyticsServer.JSON.readTree(body)).result();
                    LocalDate first = LocalDate.parse("2026-03-05");
                    double[] purchases = new double[16];
                    List<Set<String>> viewers = new ArrayList<>();
                    for (int i = 0; i < 16; i++) {
                        viewers.add(new TreeSet<>());
                    }
                    CohortReference ref = reference(p);
                    for (TestEvent e : EVENTS) {
                        int day = (int) ChronoUnit.DAYS.between(first, Instant.ofEpochMilli(e.timeMs()).atZone(zone).toLocalDate());
                        if (day < 0 || day >= 16 || members.contains(ref.person(e)) != in) {
                            continue;
                        }
                        if (e.name().equals("purchase")) {
                            purchases[day]++;
                        } else if (e.name().equals("view")) {
                            viewers.get(day).add(ref.person(e));
                        }
                    }
                    for (int i = 0; i < 16; i++) {
                        assertEquals(purchases[i], result.at("/series/0/values/" + i).asDouble(), p + " " + c + " " + in + " day " + i);
                        assertEquals(viewers.get(i).size(), result.at("/series/1/values/" + i).asDouble(), p + " " + c + " " + in + " day " + i);
                    }
                }
            }
        }
    }

    /**
     * Every other analysis with a cohort filter equals the same analysis over a copy of the project that holds
     * only the events of the persons the reference puts in (or outside) the cohort.
     */
    @Test
    void shouldFilterEveryAnalysisLikeAProjectHoldingOnlyTheMembersEvents() throws Exception {
        String[] bodies = {
                "{\"analysis\":\"funnels\",\"date_range\":{\"from\":\"2026-03-01\",\"to\":\"2026-03-20\"},"
                        + "\"steps\":[{\"event\":\"view\"},{\"event\":\"purchase\"}],\"window\":{\"value\":1,\"unit\":\"day\"}%s}",
                "{\"analysis\":\"retention\",\"date_range\":{\"from\":\"2026-03-01\",\"to\":\"2026-03-14\"},\"period\":\"day\",\"periods\":5,"
                        + "\"start_event\":{\"event\":\"view\"},\"return_event\":{\"event\":\"purchase\"}%s}",
                "{\"analysis\":\"stickiness\",\"date_range\":{\"from\":\"2026-03-01\",\"to\":\"2026-03-20\"},\"interval\":\"day\",\"event\":{\"event\":\"view\"}%s}",
                "{\"analysis\":\"distribution\",\"date_range\":{\"from\":\"2026-03-01\",\"to\":\"2026-03-20\"},\"event\":{\"event\":\"purchase\"}%s}",
                "{\"analysis\":\"lifecycle\",\"date_range\":{\"from\":\"2026-03-08\",\"to\":\"2026-03-20\"},\"interval\":\"week\",\"event\":{\"event\":\"view\"}%s}"};
        for (String p : PROJECTS) {
            Project project = server.analytics().projects().byId(p).orElseThrow();
            for (String[] variant : new String[][] {{"c-tree", "in"}, {"c-gte", "not_in"}}) {
                Set<String> members = expected(p, variant[0]);
                boolean in = variant[1].equals("in");
                String copyId = p + "-" + variant[0] + "-" + variant[1];
                Project copy = server.project(copyId, ZONES.get(p).getId());
                CohortReference ref = reference(p);
                db.insert(copyId, EVENTS.stream().filter(e -> members.contains(ref.person(e)) == in).toList());
                for (Map.Entry<String, String> l : LINKS.entrySet()) {
                    db.link(copyId, l.getKey(), l.getValue());
                }
                for (String template : bodies) {
                    JsonNode filtered = server.analytics().answer(project, "test", AnalyticsServer.JSON.readTree(template.formatted(
                            ",\"filters\":[{\"cohort\":\"" + variant[0] + "\",\"op\":\"" + variant[1] + "\"}]"))).result();
                    JsonNode plain = server.analytics().answer(copy, "test", AnalyticsServer.JSON.readTree(template.formatted(""))).result();
                    assertEquals(strip(plain), strip(filtered), copyId + ": " + template);
                    JsonNode unfiltered = server.analytics().answer(project, "test", AnalyticsServer.JSON.readTree(template.formatted(""))).result();
                    assertTrue(!strip(unfiltered).equals(strip(filtered)), "the cohort filter changes the result: " + copyId + ": " + template);
                }
            }
        }
    }

    static JsonNode strip(JsonNode n) {
        JsonNode c = n.deepCopy();
        strip0(c);
        return c;
    }

    private static void strip0(JsonNode n) {
        if (n.isObject()) {
            ObjectNode o = (ObjectNode) n;
            o.remove(List.of("queries", "millis", "cache"));
            for (Iterator<JsonNode> it = o.elements(); it.hasNext(); ) {
                strip0(it.next());
            }
        } else if (n.isArray()) {
            n.forEach(CohortIT::strip0);
        }
    }

    @Test
    void shouldImportStaticCohortsFromCsvAndRefuseBadFilesWithLineNumbers() throws Exception {
        AnalyticsServer.ok(server.postJson("/api/v1/cohorts", "ce", "{\"id\":\"imp\",\"name\":\"Imported\",\"type\":\"static\"}"));
        assertEquals(0, AnalyticsServer.ok(server.get("/api/v1/cohorts/imp/count", "ce")).get("count").asLong());

        JsonNode imported = AnalyticsServer.ok(server.send("POST", "/api/v1/cohorts/imp/members", "ce", "text/csv",
                "distinct_id\nu1\r\n\"anon-u3\"\nu999\n\nu1\n"));
        assertEquals(3, imported.get("count").asLong());
        // anon-u3 resolves to u3 through today's links; u999 has no events and still is a member.
        assertEquals(List.of("u1", "u3", "u999"), persons(AnalyticsServer.ok(server.get("/api/v1/cohorts/imp/members", "ce"))));

        HttpResponse<String> bad = server.send("POST", "/api/v1/cohorts/imp/members", "ce", "text/csv", "u7\nu8\nu9,u10\nu11\n\"\"\n\"unterminated\n");
        assertEquals(400, bad.statusCode(), bad.body());
        JsonNode error = AnalyticsServer.JSON.readTree(bad.body()).get("error");
        assertEquals("INVALID_CSV", error.get("code").asText());
        assertTrue(error.get("message").asText().contains("line 3:") && error.get("message").asText().contains("line 5:")
                && error.get("message").asText().contains("line 6:"), error.toString());
        assertEquals(3, AnalyticsServer.ok(server.get("/api/v1/cohorts/imp/count", "ce")).get("count").asLong(), "nothing written");

        AnalyticsServer.ok(server.send("POST", "/api/v1/cohorts/imp/members", "ce", "text/csv", "u7\nu8\n"));
        assertEquals(List.of("u7", "u8"), persons(AnalyticsServer.ok(server.get("/api/v1/cohorts/imp/members", "ce"))), "a re-import replaces");

        assertEquals(415, server.send("POST", "/api/v1/cohorts/imp/members", "ce", "application/json", "[\"u1\"]").statusCode());
        HttpResponse<String> dynamic = server.send("POST", "/api/v1/cohorts/c-gte/members", "ce", "text/csv", "u1\n");
        assertEquals(409, dynamic.statusCode());
        // Trends filtered by the static cohort: only u7's and u8's events (u8's anonymous ones included).
        Project project = server.analytics().projects().byId("ce").orElseThrow();
        JsonNode t = server.analytics().answer(project, "test", AnalyticsServer.JSON.readTree("{\"analysis\":\"trends\",\"date_range\":"
                + "{\"from\":\"2026-02-20\",\"to\":\"2026-03-21\"},\"interval\":\"month\",\"series\":[{}],\"filters\":[{\"cohort\":\"imp\"}]}")).result();
        long want = EVENTS.stream().filter(e -> Set.of("u7", "u8").contains(reference("ce").person(e))).count();
        double got = 0;
        for (JsonNode v : t.at("/series/0/values")) {
            got += v.asDouble();
        }
        assertEquals(want, (long) got);
    }

    @Test
    void shouldMaterializeAStaticCohortFromItsDefinition() throws Exception {
        AnalyticsServer.ok(server.postJson("/api/v1/cohorts", "cw", "{\"id\":\"snap\",\"name\":\"Snapshot\",\"type\":\"static\",\"definition\":"
                + DEFINITIONS.get("c-tree") + "}"));
        JsonNode m = AnalyticsServer.ok(server.send("POST", "/api/v1/cohorts/snap/materialize", "cw", null, null));
        Set<String> want = expected("cw", "c-tree");
        assertEquals(want.size(), m.get("count").asLong());
        assertEquals(new ArrayList<>(want), persons(AnalyticsServer.ok(server.get("/api/v1/cohorts/snap/members?limit=1000", "cw"))));
        JsonNode again = AnalyticsServer.ok(server.send("POST", "/api/v1/cohorts/snap/materialize", "cw", null, null));
        assertTrue(again.get("version").asLong() > m.get("version").asLong());
        assertEquals(want.size(), AnalyticsServer.ok(server.get("/api/v1/cohorts/snap/count", "cw")).get("count").asLong());
    }

    @Test
    void shouldManageDefinitionsWithVersions() throws Exception {
        JsonNode created = AnalyticsServer.ok(server.postJson("/api/v1/cohorts", "cw", "{\"name\":\"Buyers\",\"definition\":"
                + "{\"type\":\"performed\",\"event\":\"purchase\",\"days\":30}}"));
        String id = created.get("id").asText();
        assertEquals(1, created.get("version").asLong());
        assertEquals(409, server.send("PUT", "/api/v1/cohorts/" + id, "cw", "application/json",
                "{\"name\":\"B\",\"version\":7,\"definition\":{\"type\":\"performed\",\"event\":\"purchase\",\"days\":3}}").statusCode());
        JsonNode updated = AnalyticsServer.ok(server.send("PUT", "/api/v1/cohorts/" + id, "cw", "application/json",
                "{\"name\":\"B\",\"version\":1,\"definition\":{\"type\":\"performed\",\"event\":\"purchase\",\"days\":3}}"));
        assertEquals(2, updated.get("version").asLong());
        assertEquals(3, updated.at("/definition/days").asInt());
        assertTrue(AnalyticsServer.ok(server.get("/api/v1/cohorts", "cw")).get("cohorts").toString().contains("\"" + id + "\""));
        assertEquals(404, server.get("/api/v1/cohorts/" + id, "ce").statusCode(), "another project's cohort is not visible");
        assertEquals(204, server.send("DELETE", "/api/v1/cohorts/" + id, "cw", null, null).statusCode());
        assertEquals(404, server.get("/api/v1/cohorts/" + id, "cw").statusCode());
    }

    @Test
    void shouldRefuseMalformedDefinitionsNamingTheField() throws Exception {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{\"name\":\"x\",\"definition\":{\"type\":\"performed\",\"event\":\"a\",\"days\":0}}", "definition.days");
        cases.put("{\"name\":\"x\",\"definition\":{\"type\":\"magic\"}}", "definition.type");
        cases.put("{\"name\":\"x\",\"definition\":{\"type\":\"and\",\"rules\":[]}}", "definition.rules");
        cases.put("{\"name\":\"x\",\"definition\":{\"type\":\"performed\",\"event\":\"a\",\"op\":\"most\",\"days\":3}}", "definition.op");
        // Any stored name (quotes included) is a valid event name; one longer than the gateway accepts is not.
        cases.put("{\"name\":\"x\",\"definition\":{\"type\":\"performed\",\"event\":\"" + "e".repeat(201) + "\",\"days\":3}}", "definition.event");
        cases.put("{\"name\":\"x\",\"definition\":{\"type\":\"not\",\"rule\":{\"type\":\"performed\",\"event\":\"a\",\"days\":3,\"extra\":1}}}",
                "definition.rule.extra");
        cases.put("{\"name\":\"x\",\"definition\":{\"type\":\"performed\",\"event\":\"a\",\"days\":3,\"filters\":[{\"cohort\":\"c-gte\"}]}}",
                "definition.filters[0].cohort");
        cases.put("{\"name\":\"x\",\"definition\":{\"type\":\"performed\",\"event\":\"a\",\"days\":3,\"filters\":[{\"property\":\"properties.a'--\",\"value\":1}]}}",
                "definition.filters[0].property");
        cases.put("{\"name\":\"x\",\"definition\":{\"type\":\"person_property\",\"property\":\"country\",\"value\":\"DE\"}}", "definition.property");
        cases.put("{\"name\":\"x\"}", "definition");
        cases.put("{\"definition\":{\"type\":\"performed\",\"event\":\"a\",\"days\":3}}", "name");
        cases.put("{\"id\":\"Bad Id\",\"name\":\"x\",\"definition\":{\"type\":\"performed\",\"event\":\"a\",\"days\":3}}", "id");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            HttpResponse<String> r = server.postJson("/api/v1/cohorts", "ce", c.getKey());
            assertEquals(400, r.statusCode(), c.getKey() + " → " + r.body());
            assertEquals(c.getValue(), AnalyticsServer.JSON.readTree(r.body()).at("/error/field").asText(), c.getKey());
        }
        HttpResponse<String> unknown = server.postJson("/api/v1/insights/trends", "ce", "{\"date_range\":{\"from\":\"2026-03-01\",\"to\":\"2026-03-02\"},"
                + "\"series\":[{}],\"filters\":[{\"cohort\":\"nope\"}]}");
        assertEquals(400, unknown.statusCode());
        assertEquals("filters[0].cohort", AnalyticsServer.JSON.readTree(unknown.body()).at("/error/field").asText());
        HttpResponse<String> badOp = server.postJson("/api/v1/insights/trends", "ce", "{\"date_range\":{\"from\":\"2026-03-01\",\"to\":\"2026-03-02\"},"
                + "\"series\":[{}],\"filters\":[{\"cohort\":\"c-gte\",\"op\":\"eq\"}]}");
        assertEquals("filters[0].op", AnalyticsServer.JSON.readTree(badOp.body()).at("/error/field").asText());
    }

    static List<String> persons(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("persons").forEach(n -> out.add(n.asText()));
        return out;
    }
}
