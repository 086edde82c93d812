package io.beacon.analytics.timeline;

import io.beacon.analytics.internal.SqlRunner;
import io.beacon.analytics.internal.Timed;
import io.beacon.event.RefusedException;
import io.beacon.warehouse.clickhouse.QueryResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a timeline request: resolve the id, read one page ({@code limit + 1} rows tell whether another
 * follows), then the sessions of the page. An id that no event resolves to and no link names is 404
 * {@code PERSON_NOT_FOUND}.
 */
public final class Timeline {
    private Timeline() {
    }

    public static TimelineResult run(String projectId, TimelineQuery q, SqlRunner runner) {
        long started = System.nanoTime();
        Timed timed = new Timed(runner);
        QueryResult who = timed.run(TimelineSql.resolve(projectId, q.id()));
        String person = who.value(0, "person");
        long links = Long.parseLong(who.value(0, "links"));
        QueryResult page = timed.run(TimelineSql.page(projectId, person, q));
        if (page.isEmpty() && links == 0 && q.cursor() == null
                && Long.parseLong(timed.run(TimelineSql.exists(projectId, person)).single()) == 0) {
            throw new RefusedException(RefusedException.Kind.NOT_FOUND, "PERSON_NOT_FOUND", "no event or identity link of this project resolves to that id", "id");
        }
        List<TimelineResult.Event> events = new ArrayList<>();
        Map<String, Integer> onPage = new LinkedHashMap<>();
        List<Map<String, String>> rows = page.asMaps();
        for (int i = 0; i < Math.min(rows.size(), q.limit()); i++) {
            Map<String, String> r = rows.get(i);
            long ms = Long.parseLong(r.get("event_time_ms"));
            events.add(new TimelineResult.Event(r.get("event_id"), r.get("event_name"), r.get("event_type"), TimelineSql.iso(ms), ms,
                    r.get("distinct_id"), r.get("session_id"), r.get("page_url"), r.get("page_path"), r.get("country"),
                    properties(r.get("keys_hex"), r.get("values_hex"))));
            if (!r.get("session_id").isEmpty()) {
                onPage.merge(r.get("session_id"), 1, Integer::sum);
            }
        }
        List<TimelineResult.Session> sessions = new ArrayList<>();
        if (!onPage.isEmpty()) {
            Map<String, Map<String, String>> stats = new LinkedHashMap<>();
            for (Map<String, String> s : timed.run(TimelineSql.sessions(projectId, person, List.copyOf(onPage.keySet()))).asMaps()) {
                stats.put(s.get("session_id"), s);
            }
            onPage.forEach((id, n) -> {
                Map<String, String> s = stats.get(id);
                long start = Long.parseLong(s.get("start_ms"));
                long end = Long.parseLong(s.get("end_ms"));
                sessions.add(new TimelineResult.Session(id, TimelineSql.iso(start), TimelineSql.iso(end), start, end,
                        Long.parseLong(s.get("events")), n));
            });
        }
        String next = null;
        if (rows.size() > q.limit()) {
            TimelineResult.Event last = events.get(events.size() - 1);
            next = new TimelineCursor(last.timeMs(), last.eventId()).encode();
        }
        return new TimelineResult(q.id(), person, events, sessions, next, timed.stats(), (System.nanoTime() - started) / 1_000_000);
    }

    static Map<String, String> properties(String keysHex, String valuesHex) {
        Map<String, String> out = new LinkedHashMap<>();
        if (keysHex == null || keysHex.isEmpty()) {
            return out;
        }
        String[] k = keysHex.split(",", -1);
        String[] v = valuesHex.split(",", -1);
        for (int i = 0; i < k.length && i < v.length; i++) {
            out.put(unhex(k[i]), unhex(v[i]));
        }
        return out;
    }

    private static String unhex(String hex) {
        return new String(HexFormat.of().parseHex(hex), StandardCharsets.UTF_8);
    }
}
