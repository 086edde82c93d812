package io.beacon.dq.anomaly;

import static io.beacon.dq.anomaly.SeasonalBaseline.HOUR_MS;
import static io.beacon.dq.anomaly.SeasonalBaseline.WEEK_MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SeasonalBaselineTest {

    private static final long H = SyntheticSeries.MONDAY + 10 * WEEK_MS + 13 * HOUR_MS;
    private static final double MEDIAN_ERROR_OF_FOUR = Math.sqrt(1 + Math.PI / 8);

    @Test
    void shouldTakeTheSameHourOfWeekOverTheBaselineWeeks() {
        // Given the same hour of the five previous weeks, and other hours around them
        SortedMap<Long, Long> series = new TreeMap<>();
        long[] weekly = {100, 110, 90, 130, 500};
        for (int k = 1; k <= weekly.length; k++) {
            series.put(H - k * WEEK_MS, weekly[k - 1]);
            series.put(H - k * WEEK_MS + HOUR_MS, 9_999L);
            series.put(H - k * WEEK_MS - 24 * HOUR_MS, 9_999L);
        }

        SeasonalBaseline b = SeasonalBaseline.of(series, H, 4);

        // Then the fifth week is outside the baseline; median (100+110)/2, deviations 5, 5, 15, 25
        assertEquals(List.of(100L, 110L, 90L, 130L), b.history());
        assertEquals(105.0, b.median(), 1e-9);
        assertEquals(10.0, b.mad(), 1e-9);
        assertEquals(1.4826 * 10 * MEDIAN_ERROR_OF_FOUR, b.scale(), 1e-9);
        assertEquals((130 - 105) / b.scale(), b.score(130), 1e-9);
    }

    @Test
    void shouldCountMissingHoursAsZeroOnlyAfterTheSeriesStarted() {
        // Given a series whose first non-zero hour is H - 3 weeks, with stored zeros before it and a gap at H - 2 weeks
        SortedMap<Long, Long> series = new TreeMap<>();
        series.put(H - 5 * WEEK_MS, 0L);
        series.put(H - 4 * WEEK_MS, 0L);
        series.put(H - 3 * WEEK_MS, 50L);
        series.put(H - WEEK_MS, 60L);

        SeasonalBaseline b = SeasonalBaseline.of(series, H, 4);

        assertEquals(List.of(60L, 0L, 50L), b.history());
        assertEquals(3, b.points());
        assertEquals(OptionalLong.of(H - 3 * WEEK_MS), SeasonalBaseline.start(series));
        assertEquals(OptionalLong.empty(), SeasonalBaseline.count(series, H - 4 * WEEK_MS));
        assertEquals(OptionalLong.of(0), SeasonalBaseline.count(series, H - 2 * WEEK_MS));
    }

    @Test
    void shouldHaveNoHistoryForASeriesThatNeverStarted() {
        SortedMap<Long, Long> series = new TreeMap<>();
        series.put(H - WEEK_MS, 0L);

        SeasonalBaseline b = SeasonalBaseline.of(series, H, 4);

        assertEquals(List.of(), b.history());
        assertEquals(OptionalLong.empty(), SeasonalBaseline.start(series));
        assertThrows(IllegalStateException.class, () -> b.score(5));
    }

    @Test
    void shouldFloorTheScaleAtThePoissonNoiseOfAFlatHistory() {
        // Given four weeks of exactly 400: the MAD is 0
        SortedMap<Long, Long> series = new TreeMap<>();
        for (int k = 1; k <= 4; k++) {
            series.put(H - k * WEEK_MS, 400L);
        }

        SeasonalBaseline b = SeasonalBaseline.of(series, H, 4);

        // Then the scale is sqrt(400) (widened by the median's error), and 430 is an ordinary wiggle
        assertEquals(0.0, b.mad(), 1e-9);
        assertEquals(20 * MEDIAN_ERROR_OF_FOUR, b.scale(), 1e-9);
        assertEquals(30 / (20 * MEDIAN_ERROR_OF_FOUR), b.score(430), 1e-9);
    }

    @Test
    void shouldKeepTheScaleAtLeastOneWhenTheMedianIsZero() {
        // Given a series that started before the baseline and sent nothing at this hour since
        SortedMap<Long, Long> series = new TreeMap<>();
        series.put(H - 5 * WEEK_MS, 3L);

        SeasonalBaseline b = SeasonalBaseline.of(series, H, 4);

        assertEquals(List.of(0L, 0L, 0L, 0L), b.history());
        assertEquals(MEDIAN_ERROR_OF_FOUR, b.scale(), 1e-9);
    }

    @Test
    void shouldRefuseAnHourThatIsNotAnHourStart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SeasonalBaseline.of(new TreeMap<>(), H + 1, 4));
        assertEquals("not the start of an hour (epoch ms, UTC): " + (H + 1), e.getMessage());
    }
}
