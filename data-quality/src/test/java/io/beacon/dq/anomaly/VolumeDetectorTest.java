package io.beacon.dq.anomaly;

import static io.beacon.dq.anomaly.SyntheticSeries.HOURS_PER_WEEK;
import static io.beacon.dq.anomaly.SyntheticSeries.hour;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class VolumeDetectorTest {

    private static final long NOISE_SEED = 1000;
    private static final long PLANT_SEED = 5000;
    private static final int SEEDS = 100;
    private static final int WEEK_5 = 4 * HOURS_PER_WEEK;
    private static final int END_OF_WEEK_8 = 8 * HOURS_PER_WEEK;

    private static SortedMap<Long, Long> clean() {
        return SyntheticSeries.series(8, new Random(NOISE_SEED));
    }

    private static List<VolumeAnomaly> detect(SortedMap<Long, Long> series, int fromIndex, int toIndex,
                                              VolumeSettings settings) {
        return VolumeDetector.detect(series, hour(fromIndex), hour(toIndex), settings);
    }

    private static Set<Long> hours(List<VolumeAnomaly> anomalies, VolumeAnomaly.Direction direction) {
        return anomalies.stream().filter(a -> a.direction() == direction).map(VolumeAnomaly::hourMs)
                .collect(Collectors.toSet());
    }

    @Test
    void shouldFindPlantedSpikesAndDropsWithHighPrecisionAndRecallAtMediumSensitivity() {
        long found = 0;
        long right = 0;
        long planted = 0;
        for (int seed = 0; seed < SEEDS; seed++) {
            // Given 12 spikes x3 and 12 drops x0.2 at random hours of weeks 5-8 of a seeded series
            Random random = new Random(PLANT_SEED + seed);
            List<Integer> hours = SyntheticSeries.distinctHours(24, WEEK_5, END_OF_WEEK_8, random);
            Map<Integer, Double> factors = new HashMap<>();
            for (int k = 0; k < hours.size(); k++) {
                factors.put(hours.get(k), k < 12 ? 3.0 : 0.2);
            }
            SortedMap<Long, Long> series = SyntheticSeries.plant(SyntheticSeries.series(8, new Random(NOISE_SEED + seed)), factors, random);

            // When weeks 5-8 are judged at MEDIUM
            List<VolumeAnomaly> anomalies = detect(series, WEEK_5, END_OF_WEEK_8, VolumeSettings.of("medium"));

            // Then a found hour is right when it was planted with the same direction
            Set<Long> spikes = hours.subList(0, 12).stream().map(SyntheticSeries::hour).collect(Collectors.toSet());
            Set<Long> drops = hours.subList(12, 24).stream().map(SyntheticSeries::hour).collect(Collectors.toSet());
            right += anomalies.stream().filter(a -> (a.direction() == VolumeAnomaly.Direction.SPIKE ? spikes : drops)
                    .contains(a.hourMs())).count();
            found += anomalies.size();
            planted += hours.size();
            assertTrue(anomalies.stream().allMatch(a -> a.historyPoints() == 4), "weeks 5-8 have four weeks of history");
        }
        double precision = found == 0 ? 0 : right / (double) found;
        double recall = right / (double) planted;
        System.out.printf("volume detector over %d series: precision %.3f recall %.3f (%d of %d planted, %d false)%n",
                SEEDS, precision, recall, right, planted, found - right);
        assertTrue(precision >= 0.98, "precision " + precision);
        assertTrue(recall >= 0.95, "recall " + recall);
    }

    @Test
    void shouldRaiseNothingOnACleanSeasonalSeries() {
        long alerts = 0;
        for (int seed = 0; seed < SEEDS; seed++) {
            alerts += detect(SyntheticSeries.series(8, new Random(NOISE_SEED + seed)), WEEK_5, END_OF_WEEK_8,
                    VolumeSettings.defaults()).size();
        }
        System.out.printf("volume detector: %d alerts on %d clean series (%d judged hours each)%n", alerts, SEEDS,
                END_OF_WEEK_8 - WEEK_5);
        assertEquals(0, alerts, "false alerts at the default sensitivity");
    }

    @Test
    void shouldJudgeNothingDuringWarmUpEvenWithAPlantedSpike() {
        // Given spikes x3 in week 2 (one week of history) and week 3 (two weeks), and one in week 4 (three weeks)
        int inWeek2 = HOURS_PER_WEEK + 40;
        int inWeek3 = 2 * HOURS_PER_WEEK + 90;
        int inWeek4 = 3 * HOURS_PER_WEEK + 40;
        SortedMap<Long, Long> series = SyntheticSeries.plant(clean(),
                Map.of(inWeek2, 3.0, inWeek3, 3.0, inWeek4, 3.0), new Random(PLANT_SEED));
        assertTrue(series.get(hour(inWeek2)) > 2 * SyntheticSeries.rate(40), "the week 2 spike is there");

        // Then weeks 1-3 raise nothing, while the same spike a week later, with three weeks of history, is found
        assertEquals(List.of(), detect(series, 0, 3 * HOURS_PER_WEEK, VolumeSettings.defaults()));
        List<VolumeAnomaly> week4 = detect(series, 3 * HOURS_PER_WEEK, WEEK_5, VolumeSettings.defaults());
        assertEquals(List.of(hour(inWeek4)), week4.stream().map(VolumeAnomaly::hourMs).toList());
        assertEquals(3, week4.get(0).historyPoints());
    }

    @Test
    void shouldReportOnlyTheDirectionTheSettingsAsk() {
        // Given a spike x3 and a drop x0.2 in week 6
        int spike = 5 * HOURS_PER_WEEK + 14;
        int drop = 5 * HOURS_PER_WEEK + 60;
        SortedMap<Long, Long> series = SyntheticSeries.plant(clean(), Map.of(spike, 3.0, drop, 0.2),
                new Random(PLANT_SEED));
        VolumeSettings settings = VolumeSettings.defaults();

        List<VolumeAnomaly> drops = detect(series, WEEK_5, END_OF_WEEK_8,
                settings.withDirection(VolumeSettings.Direction.parse("drops")));
        List<VolumeAnomaly> spikes = detect(series, WEEK_5, END_OF_WEEK_8,
                settings.withDirection(VolumeSettings.Direction.parse("spikes")));
        List<VolumeAnomaly> both = detect(series, WEEK_5, END_OF_WEEK_8, settings);

        assertEquals(List.of(hour(drop)), drops.stream().map(VolumeAnomaly::hourMs).toList());
        assertEquals(Set.of(), hours(drops, VolumeAnomaly.Direction.SPIKE));
        assertEquals(List.of(hour(spike)), spikes.stream().map(VolumeAnomaly::hourMs).toList());
        assertEquals(Set.of(), hours(spikes, VolumeAnomaly.Direction.DROP));
        assertEquals(List.of(hour(spike), hour(drop)), both.stream().map(VolumeAnomaly::hourMs).toList());
    }

    @Test
    void shouldDescribeAnAnomalyByItsBandAndScore() {
        // Given four weeks of 100 at one hour, then 200
        SortedMap<Long, Long> series = new TreeMap<>();
        for (int week = 0; week < 4; week++) {
            series.put(hour(week * HOURS_PER_WEEK), 100L);
        }
        series.put(hour(4 * HOURS_PER_WEEK), 200L);

        List<VolumeAnomaly> found = detect(series, WEEK_5, WEEK_5 + 1, VolumeSettings.defaults());

        // Then the scale is the Poisson floor sqrt(100) widened by the error of a median of four
        double scale = 10 * Math.sqrt(1 + Math.PI / 8);
        assertEquals(1, found.size());
        VolumeAnomaly a = found.get(0);
        assertEquals(hour(WEEK_5), a.hourMs());
        assertEquals(200, a.observed());
        assertEquals(100.0, a.expected(), 1e-9);
        assertEquals(100 - VolumeSettings.MEDIUM * scale, a.lower(), 1e-9);
        assertEquals(100 + VolumeSettings.MEDIUM * scale, a.upper(), 1e-9);
        assertEquals(100 / scale, a.score(), 1e-9);
        assertEquals(VolumeAnomaly.Direction.SPIKE, a.direction());
        assertEquals(4, a.historyPoints());
    }

    @Test
    void shouldReportMissingHoursAfterTheStartAsDrops() {
        // Given an event sent 100 times an hour for four weeks that then stops (no more rows)
        SortedMap<Long, Long> series = new TreeMap<>();
        for (int i = 0; i < 4 * HOURS_PER_WEEK; i++) {
            series.put(hour(i), 100L);
        }

        List<VolumeAnomaly> found = detect(series, WEEK_5, WEEK_5 + 24, VolumeSettings.defaults());

        assertEquals(24, found.size());
        assertTrue(found.stream().allMatch(a -> a.observed() == 0 && a.direction() == VolumeAnomaly.Direction.DROP));
        assertEquals(100 - VolumeSettings.MEDIUM * 10 * Math.sqrt(1 + Math.PI / 8), found.get(0).lower(), 1e-9);
    }

    @Test
    void shouldSuppressASmallAbsoluteChangeOnANearEmptySeries() {
        // Given one event an hour at the same hour of week for four weeks, then four
        SortedMap<Long, Long> series = new TreeMap<>();
        for (int week = 0; week < 4; week++) {
            series.put(hour(week * HOURS_PER_WEEK), 1L);
        }
        series.put(hour(4 * HOURS_PER_WEEK), 4L);
        VolumeSettings high = VolumeSettings.of("2.5");

        // Then at 2.5 the score passes the threshold, but 3 events are below the minimum change of 10
        List<VolumeAnomaly> withoutMinimum = detect(series, WEEK_5, WEEK_5 + 1, high.withMinAbsoluteChange(0));
        assertEquals(1, withoutMinimum.size());
        assertEquals(3 / Math.sqrt(1 + Math.PI / 8), withoutMinimum.get(0).score(), 1e-9);
        assertEquals(List.of(), detect(series, WEEK_5, WEEK_5 + 1, high));
    }

    @Test
    void shouldRefuseHoursThatAreNotHourStarts() {
        SortedMap<Long, Long> series = new TreeMap<>(Map.of(hour(0) + 1, 5L));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VolumeDetector.detect(series, hour(0), hour(1), VolumeSettings.defaults()));
        assertTrue(e.getMessage().contains(String.valueOf(hour(0) + 1)), e.getMessage());
    }
}
