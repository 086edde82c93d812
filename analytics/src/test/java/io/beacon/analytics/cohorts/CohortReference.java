package io.beacon.analytics.cohorts;

import io.beacon.analytics.testing.TestEvent;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Cohort membership in plain Java, independent of the SQL: per resolved person, counts and times of matching
 * events from the local midnight that starts "the last D days" (today = the local date of {@code now} in
 * {@code zone}); the universe is every resolved person with an event.
 */
final class CohortReference {
    final List<TestEvent> events;
    final Map<String, String> links;
    final Map<String, String> plans;
    final Instant now;
    final ZoneId zone;

    /** @param plans current {@code plan} of each resolved person */
    CohortReference(List<TestEvent> events, Map<String, String> links, Map<String, String> plans, Instant now, ZoneId zone) {
        this.events = events;
        this.links = links;
        this.plans = plans;
        this.now = now;
        this.zone = zone;
    }

    String person(TestEvent e) {
        return links.getOrDefault(e.person(), e.person());
    }

    long start(int days) {
        LocalDate today = now.atZone(zone).toLocalDate();
        return today.minusDays(days - 1L).atStartOfDay(zone).toInstant().toEpochMilli();
    }

    Set<String> universe() {
        Set<String> out = new TreeSet<>();
        events.forEach(e -> out.add(person(e)));
        return out;
    }

    Map<String, Long> counts(Predicate<TestEvent> match, int days) {
        long from = start(days);
        Map<String, Long> out = new HashMap<>();
        for (TestEvent e : events) {
            if (match.test(e) && e.timeMs() >= from) {
                out.merge(person(e), 1L, Long::sum);
            }
        }
        return out;
    }

    Set<String> performed(Predicate<TestEvent> match, String op, long n, int days) {
        Map<String, Long> c = counts(match, days);
        Set<String> out = new TreeSet<>();
        for (String p : universe()) {
            long k = c.getOrDefault(p, 0L);
            if (op.equals("gte") ? k >= n : op.equals("lte") ? k <= n : k == n) {
                out.add(p);
            }
        }
        return out;
    }

    Set<String> sequence(Predicate<TestEvent> first, Predicate<TestEvent> then, long within, int days) {
        long from = start(days);
        Set<String> out = new TreeSet<>();
        for (TestEvent x : events) {
            if (!first.test(x) || x.timeMs() < from) {
                continue;
            }
            for (TestEvent y : events) {
                if (then.test(y) && y.timeMs() >= from && person(y).equals(person(x)) && y.timeMs() > x.timeMs() && y.timeMs() <= x.timeMs() + within) {
                    out.add(person(x));
                }
            }
        }
        return out;
    }

    Set<String> plan(String value) {
        Set<String> out = new TreeSet<>();
        for (String p : universe()) {
            if (value.equals(plans.get(p))) {
                out.add(p);
            }
        }
        return out;
    }

    static Set<String> and(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.retainAll(b);
        return out;
    }

    static Set<String> or(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.addAll(b);
        return out;
    }

    Set<String> not(Set<String> a) {
        Set<String> out = new TreeSet<>(universe());
        out.removeAll(a);
        return out;
    }

    static Predicate<TestEvent> named(String name) {
        return e -> e.name().equals(name);
    }
}
