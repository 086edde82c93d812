package io.beacon.ml.dataset;

import static io.beacon.ml.Fixtures.DAY;
import static io.beacon.ml.Fixtures.T0;
import static io.beacon.ml.Fixtures.event;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.event.Event;
import io.beacon.event.EventType;
import io.beacon.ml.EventListState;
import io.beacon.ml.FeatureSpec;
import io.beacon.ml.StateReplay;
import io.beacon.ml.Task;
import io.beacon.ml.feature.FeatureExtractor;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatasetBuilderTest {
    static final FeatureSpec SPEC = FeatureSpec.of(List.of("app_open"), List.of("app_open", "purchase"), 14 * DAY);
    static final long T = T0 + 30 * DAY;

    static List<Event> history() {
        return List.of(event("app_open", T0 + DAY, "s1", 0), event("purchase", T0 + 20 * DAY, "s2", 12.5),
                event("app_open", T, "s3", 0));
    }

    @Test
    void shouldNeverLetAnEventAfterTheCutoffChangeAFeature() {
        DatasetBuilder b = new DatasetBuilder(SPEC, EventListState.REPLAY, "revenue");
        List<Event> withFuture = new ArrayList<>(history());
        withFuture.add(event("app_open", T + 1, "s4", 0));
        withFuture.add(event("purchase", T + 2 * DAY, "s4", 99));
        Dataset without = b.build(Task.LTV, Map.of("a", history()), List.of(T), s -> { });
        Dataset with = b.build(Task.LTV, Map.of("a", withFuture), List.of(T), s -> { });
        assertArrayEquals(without.rows().get(0).features(), with.rows().get(0).features());
        assertEquals(0, without.rows().get(0).label());
        assertEquals(99, with.rows().get(0).label());
    }

    @Test
    void shouldReplayOnlyEventsAtOrBeforeTheCutoff() {
        List<Integer> replayed = new ArrayList<>();
        StateReplay spy = (events, asOf) -> {
            assertTrue(events.stream().allMatch(e -> e.eventTime() <= asOf));
            replayed.add(events.size());
            return new EventListState(events);
        };
        List<Event> h = new ArrayList<>(history());
        h.add(event("app_open", T + DAY, "s5", 0));
        new DatasetBuilder(SPEC, spy, "revenue").build(Task.CHURN, Map.of("a", h), List.of(T - 20 * DAY, T), s -> { });
        assertEquals(List.of(1, 3), replayed, "T−20d sees the first app_open only; T sees all three");
    }

    @Test
    void shouldMatchTheOnlineVectorOfTheSameStateAndTime() {
        Dataset d = new DatasetBuilder(SPEC, EventListState.REPLAY, "revenue").build(Task.CHURN, Map.of("a", history()), List.of(T), s -> { });
        assertArrayEquals(new FeatureExtractor(SPEC).extract(new EventListState(history()), T), d.rows().get(0).features());
    }

    @Test
    void shouldLabelChurnAndTheLastPeriodRevenue() {
        Map<String, List<Event>> people = new LinkedHashMap<>();
        people.put("stays", List.of(event("app_open", T - DAY, "s1", 0), event("app_open", T + 3 * DAY, "s2", 0)));
        people.put("leaves", List.of(event("app_open", T - DAY, "s1", 0), event("purchase", T - 2 * DAY, "s1", 7), event("view", T + 3 * DAY, "s2", 0)));
        people.put("later", List.of(event("app_open", T + DAY, "s1", 0)));
        Dataset d = new DatasetBuilder(SPEC, EventListState.REPLAY, "revenue").build(Task.CHURN, people, List.of(T), s -> { });
        assertEquals(List.of("stays", "leaves"), d.rows().stream().map(DatasetRow::personId).toList(), "no row before a person's first event");
        assertEquals(0, d.rows().get(0).label());
        assertEquals(1, d.rows().get(1).label(), "a view does not qualify as activity");
        assertEquals(7, d.rows().get(1).revenuePrevH());
    }

    @Test
    void shouldSplitOlderCutoffsFromTheNewest() {
        Dataset d = new DatasetBuilder(SPEC, EventListState.REPLAY, "revenue").build(Task.CHURN, Map.of("a", history()),
                List.of(T - 20 * DAY, T - 10 * DAY, T), s -> { });
        assertEquals(List.of(T - 20 * DAY, T - 10 * DAY, T), d.cutoffs());
        assertEquals(2, d.olderRows().size());
        assertEquals(T, d.newestRows().get(0).cutoffMs());
    }

    @Test
    void shouldReadRevenueFromNumericText() {
        Event textual = new Event("x", "p1", EventType.TRACK, "purchase", "u", null, "s", T + DAY, T + DAY, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                Map.of("revenue", "4.5"), Map.of(), List.of(), "u");
        assertEquals(4.5, new DatasetBuilder(SPEC, EventListState.REPLAY, "revenue").facts(List.of(textual)).get(0).revenue());
    }

    @Test
    void shouldWriteCsvWithFeatureNamesAndLabel() throws Exception {
        FeatureSpec spec = FeatureSpec.of(List.of(), List.of("a,b"), 14 * DAY);
        Dataset d = new DatasetBuilder(spec, EventListState.REPLAY, "revenue").build(Task.LTV, Map.of("p\"1", history()), List.of(T), s -> { });
        StringWriter w = new StringWriter();
        DatasetCsv.write(d, w);
        String[] lines = w.toString().split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].startsWith("person_id,cutoff_ms,recency_days,tenure_days,"));
        assertTrue(lines[0].contains(",\"count_7d:a,b\",\"count_30d:a,b\","));
        assertTrue(lines[0].endsWith(",platform_other,revenue_prev_h,label"));
        assertTrue(lines[1].startsWith("\"p\"\"1\"," + T + ",0,29,"), lines[1]);
        assertTrue(lines[1].endsWith(",12.5,0"), lines[1]);
    }
}
