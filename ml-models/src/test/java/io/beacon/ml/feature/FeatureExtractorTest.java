package io.beacon.ml.feature;

import static io.beacon.ml.Fixtures.DAY;
import static io.beacon.ml.Fixtures.HOUR;
import static io.beacon.ml.Fixtures.T0;
import static io.beacon.ml.Fixtures.event;
import static io.beacon.ml.Fixtures.trait;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.beacon.ml.EventListState;
import io.beacon.ml.FeatureSpec;
import io.beacon.ml.FeatureVector;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureExtractorTest {
    static final FeatureSpec SPEC = FeatureSpec.of(List.of(), List.of("purchase", "view"), FeatureSpec.DEFAULT_HORIZON_MS);
    static final FeatureExtractor EXTRACTOR = new FeatureExtractor(SPEC);

    @Test
    void shouldComputeEveryFeatureOfAKnownHistory() {
        long now = T0 + 20 * DAY + 12 * HOUR;
        EventListState s = new EventListState(List.of(
                event("view", T0, "s1", 0),                              // 20 days back: 30d only
                event("view", T0 + 8 * DAY, "s2", 0),                    // 12 days back: prev 7d
                event("view", T0 + 15 * DAY, "s3", 0),                   // 5 days back: 7d
                event("purchase", T0 + 15 * DAY + HOUR, "s3", 30),
                event("view", T0 + 20 * DAY + 2 * HOUR, "s4", 0),        // today: 24h
                trait("$os", "iOS", T0 + HOUR)));
        FeatureVector v = EXTRACTOR.vector(s, now);
        assertEquals((now - (T0 + 20 * DAY + 2 * HOUR)) / (double) DAY, v.get("recency_days"), 1e-12);
        assertEquals(20.5, v.get("tenure_days"), 1e-12);
        assertEquals(4, v.get("sessions_count"));
        assertEquals(1, v.get("events_24h"));
        assertEquals(3, v.get("events_7d"));
        assertEquals(5, v.get("events_30d"));
        assertEquals(5, v.get("events_all"));
        assertEquals(2, v.get("active_days_7d"));
        assertEquals(4, v.get("active_days_30d"));
        assertEquals((3 + 1.0) / (1 + 1.0), v.get("trend_7d"), 1e-12);
        assertEquals(30, v.get("revenue_7d"));
        assertEquals(30, v.get("revenue_all"));
        assertEquals(1, v.get("count_7d:purchase"));
        assertEquals(2, v.get("count_7d:view"));
        assertEquals(4, v.get("count_30d:view"));
        assertEquals(1, v.get("platform_ios"));
        assertEquals(0, v.get("platform_android") + v.get("platform_web") + v.get("platform_other"));
    }

    @Test
    void shouldGiveZerosForAUserWithoutEvents() {
        double[] x = EXTRACTOR.extract(new EventListState(List.of()), T0);
        for (int i = 0; i < x.length; i++) {
            assertEquals(SPEC.featureNames().get(i).equals("trend_7d") ? 1.0 : 0.0, x[i], SPEC.featureNames().get(i));
        }
    }

    @Test
    void shouldClassifyPlatforms() {
        assertEquals(FeatureExtractor.Platform.IOS, FeatureExtractor.classify("iPadOS"));
        assertEquals(FeatureExtractor.Platform.ANDROID, FeatureExtractor.classify("Android"));
        assertEquals(FeatureExtractor.Platform.WEB, FeatureExtractor.classify("web"));
        assertEquals(FeatureExtractor.Platform.OTHER, FeatureExtractor.classify("Mac OS X"));
    }

    @Test
    void shouldRefuseASpecThatIsNotCanonical() {
        FeatureSpec odd = new FeatureSpec(List.of("recency_days"), List.of(), List.of(), FeatureSpec.DEFAULT_HORIZON_MS);
        assertThrows(IllegalArgumentException.class, () -> new FeatureExtractor(odd));
    }
}
