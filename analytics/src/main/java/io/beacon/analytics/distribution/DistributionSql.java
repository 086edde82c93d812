package io.beacon.analytics.distribution;

import io.beacon.analytics.internal.EventSource;
import io.beacon.analytics.query.InsightQuery;

/**
 * The SQL of the per-person histograms (pure, ClickHouse 18.16-compatible): per resolved person a count
 * over the matching events in the range, then the number of persons per count.
 */
public final class DistributionSql {
    private DistributionSql() {
    }

    /**
     * {@code events} (events of one person) → {@code persons}: one row per distinct per-person event count.
     * <pre>SELECT c AS events, count() AS persons FROM (SELECT person, count() AS c FROM (&lt;events&gt;) GROUP BY person) GROUP BY c</pre>
     */
    public static String eventsPerPerson(String projectId, InsightQuery.Distribution q) {
        String events = EventSource.select(projectId, q.range(), "1 AS one", true, q.event().sql("person", projectId), q.filters());
        return "SELECT c AS events, count() AS persons\nFROM (\n SELECT person, count() AS c\n FROM (\n " + events
                + "\n )\n GROUP BY person\n)\nGROUP BY c\nORDER BY c";
    }

    /**
     * {@code intervals} (distinct local intervals with a matching event, per person) → {@code persons}.
     * The interval of an event is its local day / ISO week / month in the query zone ({@code Interval#bucketSql}).
     */
    public static String activeIntervals(String projectId, InsightQuery.Stickiness q) {
        String events = EventSource.select(projectId, q.range(), q.interval().bucketSql("event_time", q.zone()) + " AS b", true,
                q.event().sql("person", projectId), q.filters());
        return "SELECT n AS intervals, count() AS persons\nFROM (\n SELECT person, uniqExact(b) AS n\n FROM (\n " + events
                + "\n )\n GROUP BY person\n)\nGROUP BY n\nORDER BY n";
    }
}
