package io.beacon.warehouse.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import io.beacon.event.PersonDistinctId;
import io.beacon.event.PersonProperty;
import io.beacon.event.SessionSummary;
import io.beacon.warehouse.ClickHouseSettings;
import io.beacon.warehouse.EventFixtures;
import io.beacon.warehouse.clickhouse.ClickHouse;
import io.beacon.warehouse.sink.EventRows;
import io.beacon.warehouse.sink.IdentityRows;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sessions/identity tables and the helper views on a real ClickHouse (18.16 in CI): rows as the
 * sinks write them, replays, query-time attribution of anonymous history, merged sessions, and the
 * $set / $set_once rule.
 */
@ExtendWith(BeaconStackExtension.class)
class IdentityTablesTest {
    private static final long T0 = 1_772_442_000_000L; // 2026-03-02T09:00:00Z
    private static final long MIN = 60_000;
    private static ClickHouse clickhouse;

    @BeforeAll
    static void migrate(TestStack stack) {
        clickhouse = ClickHouse.connect(ClickHouseSettings.of(stack.clickhouseHttpUrl(), stack.uniqueName("ident")));
        new Migrations(clickhouse).apply();
    }

    @AfterAll
    static void close() {
        clickhouse.close();
    }

    private static Set<String> columns(String table) {
        Set<String> columns = new LinkedHashSet<>();
        clickhouse.query("SELECT name FROM system.columns WHERE database = currentDatabase() AND table = '" + table + "'")
                .rows().forEach(r -> columns.add(r.get(0)));
        return columns;
    }

    private static SessionSummary session(String project, String id, String person, long start, long end, long count,
                                          List<String> merged, long version) {
        return new SessionSummary(project, id, person, "d1", false, start, end, count, 1, "https://x/entry", "https://x/exit",
                null, "news", null, null, null, null, "web", merged, version);
    }

    private static void insert(String table, List<Map<String, Object>> rows) {
        List<String> lines = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            lines.add(new String(EventCodec.encode(row), java.nio.charset.StandardCharsets.UTF_8));
        }
        clickhouse.insertJsonEachRow(table, lines);
    }

    private static Event event(String project, String id, String name, String userId, String anonymousId, String person, long at) {
        Event base = EventFixtures.minimal(project, id);
        return new Event(id, project, base.type(), name, userId, anonymousId, "s", at, at, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, person);
    }

    @Test
    void shouldHaveAColumnForEveryKeyOfTheSinksRows() {
        assertEquals(columns(MigrationCatalog.SESSIONS),
                IdentityRows.sessionRows(session("p", "s", "u", T0, T0, 1, List.of(), 1), T0).get(0).keySet());
        assertEquals(columns(MigrationCatalog.PERSONS),
                IdentityRows.personRow(new PersonProperty("p", "u", "k", "v", false, T0, "e", 1), T0).keySet());
        assertEquals(columns(MigrationCatalog.PERSON_DISTINCT_IDS),
                IdentityRows.distinctIdRow(new PersonDistinctId("p", "d", "u", T0, "e"), T0).keySet());
        assertEquals(true, columns(MigrationCatalog.EVENTS).contains("person_id"));
    }

    @Test
    void shouldAttributeAnonymousHistoryToThePersonAtQueryTime() {
        String p = "attr";
        // Given two anonymous events stored before the device identified, and one identified event
        List<String> events = new ArrayList<>();
        events.add(EventRows.toJson(event(p, "e1", "Viewed Pricing", null, "d1", "d1", T0), T0));
        events.add(EventRows.toJson(event(p, "e2", "Viewed Pricing", null, "d1", "d1", T0 + MIN), T0));
        events.add(EventRows.toJson(event(p, "e3", "Subscribed", "alice", "d1", "alice", T0 + 2 * MIN), T0));
        events.add(EventRows.toJson(event(p, "e4", "Viewed Pricing", null, "d2", "d2", T0), T0)); // someone else
        clickhouse.insertJsonEachRow(MigrationCatalog.EVENTS, events);
        clickhouse.insertJsonEachRow(MigrationCatalog.EVENTS, events.subList(0, 2)); // a sink replay
        // When the link arrives (twice, as a replay would)
        for (int i = 0; i < 2; i++) {
            insert(MigrationCatalog.PERSON_DISTINCT_IDS, List.of(IdentityRows.distinctIdRow(new PersonDistinctId(p, "d1", "alice", T0 + 2 * MIN, "e3"), T0)));
        }

        // Then every event of d1 counts for alice, once
        assertEquals(2, clickhouse.queryLong("SELECT uniqExact(resolved_person_id) FROM events_with_person WHERE project_id = '" + p + "'"));
        assertEquals(3, clickhouse.queryLong("SELECT count() FROM events_with_person WHERE project_id = '" + p + "' AND resolved_person_id = 'alice'"));
        // and a funnel from an anonymous step to an identified one converts per resolved person
        assertEquals(1, clickhouse.queryLong("SELECT countIf(level = 2) FROM (SELECT resolved_person_id, windowFunnel(3600)(event_time,"
                + " event_name = 'Viewed Pricing', event_name = 'Subscribed') AS level FROM events_with_person"
                + " WHERE project_id = '" + p + "' GROUP BY resolved_person_id)"));
        assertEquals(0, clickhouse.queryLong("SELECT countIf(level = 2) FROM (SELECT distinct_id, windowFunnel(3600)(event_time,"
                + " event_name = 'Viewed Pricing', event_name = 'Subscribed') AS level FROM events FINAL"
                + " WHERE project_id = '" + p + "' GROUP BY distinct_id)"), "by raw distinct id the funnel breaks");
    }

    @Test
    void shouldHideMergedAndStaleSessionVersionsAndCountSessionsPerPerson() {
        String p = "sess";
        // Given s1 published twice, s2 published, then s2 merged into s1 (versions 1..4), all inserted twice
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.addAll(IdentityRows.sessionRows(session(p, "s1", "d1", T0, T0, 1, List.of(), 1), T0));
        rows.addAll(IdentityRows.sessionRows(session(p, "s1", "d1", T0, T0 + 10 * MIN, 2, List.of(), 2), T0));
        rows.addAll(IdentityRows.sessionRows(session(p, "s2", "d1", T0 + 41 * MIN, T0 + 41 * MIN, 1, List.of(), 3), T0));
        rows.addAll(IdentityRows.sessionRows(session(p, "s1", "alice", T0, T0 + 41 * MIN, 4, List.of("s2"), 4), T0));
        rows.addAll(IdentityRows.sessionRows(session(p, "s3", "alice", T0 + 5 * 60 * MIN, T0 + 5 * 60 * MIN + 90_000, 3, List.of(), 1), T0));
        rows.addAll(IdentityRows.sessionRows(session(p, "s4", "d9", T0, T0, 1, List.of(), 1), T0));
        insert(MigrationCatalog.SESSIONS, rows);
        insert(MigrationCatalog.SESSIONS, rows);
        insert(MigrationCatalog.PERSON_DISTINCT_IDS, List.of(IdentityRows.distinctIdRow(new PersonDistinctId(p, "d1", "alice", T0, "e"), T0)));

        assertEquals(3, clickhouse.queryLong("SELECT count() FROM sessions_with_person WHERE project_id = '" + p + "'"));
        assertEquals("s1", clickhouse.query("SELECT merged_into FROM sessions FINAL WHERE project_id = '" + p + "' AND session_id = 's2'").single());
        List<Map<String, String>> perPerson = clickhouse.query("SELECT resolved_person_id, sessions, events, total_duration_ms"
                + " FROM sessions_per_person WHERE project_id = '" + p + "' ORDER BY resolved_person_id").asMaps();
        assertEquals(2, perPerson.size());
        assertEquals(Map.of("resolved_person_id", "alice", "sessions", "2", "events", "7",
                "total_duration_ms", Long.toString(41 * MIN + 90_000)), perPerson.get(0));
        assertEquals("d9", perPerson.get(1).get("resolved_person_id"));
    }

    @Test
    void shouldApplyLatestSetAndFirstSetOnceAcrossMergedPersons() {
        String p = "props";
        List<Map<String, Object>> rows = new ArrayList<>();
        // anonymous d1 set plan=free at T0 and first_touch=ad at T0 (once); alice set plan=pro later, first_touch=seo later (once)
        rows.add(IdentityRows.personRow(prop(p, "d1", "plan", "free", false, T0), T0));
        rows.add(IdentityRows.personRow(prop(p, "d1", "first_touch", "ad", true, T0), T0));
        rows.add(IdentityRows.personRow(prop(p, "alice", "plan", "pro", false, T0 + MIN), T0));
        rows.add(IdentityRows.personRow(prop(p, "alice", "first_touch", "seo", true, T0 + MIN), T0));
        rows.add(IdentityRows.personRow(prop(p, "alice", "plan", "team", false, T0 - MIN), T0)); // arrives late, is older
        insert(MigrationCatalog.PERSONS, rows);
        insert(MigrationCatalog.PERSON_DISTINCT_IDS, List.of(IdentityRows.distinctIdRow(new PersonDistinctId(p, "d1", "alice", T0, "e"), T0)));

        Map<String, String> current = new java.util.TreeMap<>();
        clickhouse.query("SELECT key, value FROM persons_current WHERE project_id = '" + p + "' AND resolved_person_id = 'alice'")
                .rows().forEach(r -> current.put(r.get(0), r.get(1)));
        assertEquals(Map.of("plan", "pro", "first_touch", "ad"), current);
    }

    private static PersonProperty prop(String project, String person, String key, String value, boolean once, long at) {
        return new PersonProperty(project, person, key, value, once, at, "e", PersonProperty.versionOf(once, at));
    }
}
