package io.beacon.analytics.testing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded event data built to hit the edge cases: both 2026 DST changes (US 8 March, EU 29 March), events at
 * exact local midnights east and west of UTC, equal timestamps, non-numeric and absent numeric properties,
 * awkward strings, anonymous persons linked to users, shuffled arrival and re-sent duplicates.
 */
public final class Generated {
    public static final String[] NAMES = {"view", "signup", "purchase"};
    public static final String[] PLANS = {"free", "pro", "team", "it's \"quoted\"", "enterprise"};
    public static final String[] COUNTRIES = {"DE", "US", "IN", "FR"};
    /** 2026-03-01T00:00Z */
    public static final long START = 1_772_323_200_000L;

    public final List<TestEvent> events = new ArrayList<>();
    /** anonymous person → user person (the links inserted). */
    public final Map<String, String> links = new LinkedHashMap<>();
    /** The order of insertion: shuffled, with some duplicates. */
    public final List<TestEvent> arrival = new ArrayList<>();

    public Generated(long seed, int persons, int eventsCount) {
        Random r = new Random(seed);
        for (int i = 0; i < eventsCount; i++) {
            String person = "u" + r.nextInt(persons);
            if (r.nextInt(6) == 0) {
                person = "anon-" + person; // anonymous history of the same user
                links.put(person, person.substring(5));
            }
            long t = START + (long) (r.nextDouble() * 36L * 86_400_000L);
            if (r.nextInt(10) == 0) {
                t = t - t % 60_000; // whole minutes: equal timestamps become likely
            }
            add(r, person, t, i);
        }
        // Exact local midnights and DST edges, east and west.
        String[][] edges = {
                {"Europe/Berlin", "2026-03-29T00:00"}, {"Europe/Berlin", "2026-03-30T00:00"}, {"Europe/Berlin", "2026-03-29T03:00"},
                {"America/Los_Angeles", "2026-03-08T00:00"}, {"America/Los_Angeles", "2026-03-08T03:00"},
                {"America/Los_Angeles", "2026-03-09T00:00"}, {"Asia/Kolkata", "2026-03-10T00:00"}, {"Asia/Kolkata", "2026-03-16T00:00"},
                {"Asia/Kolkata", "2026-04-01T00:00"}, {"Europe/Berlin", "2026-04-01T00:00"}};
        int k = eventsCount;
        for (String[] e : edges) {
            long t = LocalDateTime.parse(e[1]).atZone(ZoneId.of(e[0])).toInstant().toEpochMilli();
            add(r, "u1", t, k++);
            add(r, "u2", t - 1, k++);
            add(r, "u3", t, k++);
        }
        arrival.addAll(events);
        Collections.shuffle(arrival, r);
        for (int i = 0; i < events.size() / 20; i++) {
            arrival.add(events.get(r.nextInt(events.size()))); // re-sent copies
        }
    }

    private void add(Random r, String person, long t, int i) {
        Map<String, Object> props = new LinkedHashMap<>();
        int p = r.nextInt(10);
        if (p < 7) {
            props.put("price", r.nextInt(200) / 2.0);
        } else if (p == 7) {
            props.put("price", "n/a");
        }
        if (r.nextInt(5) > 0) {
            props.put("plan", PLANS[r.nextInt(PLANS.length)]);
        }
        events.add(new TestEvent(String.format("e%06d", i), person, NAMES[r.nextInt(NAMES.length)], t,
                COUNTRIES[r.nextInt(COUNTRIES.length)], props));
    }

    /** The person today: the linked user for anonymous ids. */
    public String resolved(TestEvent e) {
        return links.getOrDefault(e.person(), e.person());
    }

    /** The stored text of a property ('' when absent), as the warehouse stores it. */
    public static String text(TestEvent e, String key) {
        Object v = e.properties().get(key);
        if (v == null) {
            return "";
        }
        return v instanceof String s ? s : io.beacon.warehouse.sink.EventRows.valueText(v);
    }

    /** The property as a number, or null when absent / not numeric. */
    public static Double number(TestEvent e, String key) {
        return jsonNumber(text(e, key));
    }

    private static final ObjectMapper STRICT_JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * The documented rule (docs/analysis-semantics.md, "Numbers in text"), computed independently of the code
     * under test: the text is a number when Jackson's strict parser reads it, whole and unpadded, as a JSON number.
     */
    public static Double jsonNumber(String s) {
        if (s.isEmpty() || !s.equals(s.strip())) {
            return null;
        }
        try {
            JsonNode n = STRICT_JSON.readTree(s);
            return n != null && n.isNumber() && Double.isFinite(n.asDouble()) ? n.asDouble() : null;
        } catch (java.io.IOException notJson) {
            return null;
        }
    }
}
