package io.beacon.analytics.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.beacon.analytics.testing.AnalyticsDb;
import io.beacon.analytics.testing.Generated;
import io.beacon.analytics.testing.TestEvent;
import io.beacon.analytics.trends.Trends;
import io.beacon.analytics.trends.TrendsResult;
import io.beacon.devstack.BeaconStackExtension;
import io.beacon.devstack.TestStack;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Numbers in property text ("Numbers in text" in docs/analysis-semantics.md): a text is a number exactly when
 * it is a JSON number. {@code toFloat64OrNull} alone differs by version ({@code '+3'} is NULL on 18.16, 3 on
 * 26.x), so filters and property maths must give these answers on both engines.
 */
@ExtendWith(BeaconStackExtension.class)
class NumericTextIT {
    private static final String PROJECT = "p-num";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Texts on which versions or parsers disagree, and plain numbers around them. */
    private static final List<String> TEXTS = List.of("+3", "3", "-3", "3.5", "-0.5", "1e2", "1E+2", "2.5e-1", "007", "0", "-0",
            " 3", "3 ", ".5", "5.", "+.5", "++3", "+-3", "0x1A", "inf", "-inf", "nan", "Infinity", "1,5", "3d", "", "1e400", "-1e400", "1e-400");
    private static AnalyticsDb db;
    private static long t0;

    @BeforeAll
    static void load(TestStack stack) {
        db = new AnalyticsDb(stack, "numeric");
        t0 = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();
        List<TestEvent> events = new ArrayList<>();
        for (int i = 0; i < TEXTS.size(); i++) {
            events.add(new TestEvent("n-" + i, "u" + i, "score", t0 + i * 1000L, "DE", Map.of("v", TEXTS.get(i))));
        }
        db.insert(PROJECT, events);
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    private static TrendsResult.Line trend(String math, String filters) throws Exception {
        InsightQuery q = QueryParser.parse(JSON.readTree("{\"analysis\":\"trends\",\"interval\":\"day\","
                + "\"date_range\":{\"from\":\"2026-03-02\",\"to\":\"2026-03-02\"},\"series\":[{\"event\":\"score\",\"math\":\"" + math + "\""
                + (math.equals("total") ? "" : ",\"property\":\"properties.v\"") + ",\"filters\":" + filters + "}]}"), ZoneId.of("UTC"));
        return Trends.run(PROJECT, (InsightQuery.Trends) q, db.clickhouse()::query).series().get(0);
    }

    private static List<Double> numbers() {
        return TEXTS.stream().map(Generated::jsonNumber).filter(Objects::nonNull).toList();
    }

    @Test
    void shouldReadOnlyJsonNumbersAsNumbersInPropertyMaths() throws Exception {
        List<Double> numbers = numbers();
        assertEquals(List.of(3.0, -3.0, 3.5, -0.5, 100.0, 100.0, 0.25, 0.0, 0.0, 0.0), numbers, "the reference itself");
        assertEquals(numbers.stream().mapToDouble(Double::doubleValue).sum(), trend("sum", "[]").values().get(0), 1e-9);
        assertEquals(numbers.size(), numbers.stream().mapToDouble(Double::doubleValue).count());
        assertEquals(-3.0, trend("min", "[]").values().get(0), 0);
        assertEquals(100.0, trend("max", "[]").values().get(0), 0);
        assertEquals(numbers.stream().mapToDouble(Double::doubleValue).average().orElseThrow(), trend("avg", "[]").values().get(0), 1e-9);
    }

    @Test
    void shouldTreatALeadingPlusAndOtherNonJsonNumbersAsNotNumbersInFilters() throws Exception {
        long positive = numbers().stream().filter(d -> d > 0).count();
        assertEquals(positive, trend("total", "[{\"property\":\"properties.v\",\"op\":\"gt\",\"value\":0}]").values().get(0), 0);
        // '+3' is not 3: only the plain "3" equals 3
        assertEquals(1.0, trend("total", "[{\"property\":\"properties.v\",\"op\":\"eq\",\"value\":3}]").values().get(0), 0);
        long notThree = TEXTS.size() - 1;
        assertEquals(notThree, trend("total", "[{\"property\":\"properties.v\",\"op\":\"neq\",\"value\":3}]").values().get(0), 0);
        assertEquals(2.0, trend("total", "[{\"property\":\"properties.v\",\"op\":\"between\",\"value\":[2.9,3.6]}]").values().get(0), 0);
    }

    @Test
    void shouldAnswerNullForAnAverageOverTextsThatAreNoNumbers() throws Exception {
        assertNull(trend("avg", "[{\"property\":\"properties.v\",\"op\":\"in\",\"value\":[\"+3\",\" 3\",\"inf\",\"007\"]}]").values().get(0));
    }
}
