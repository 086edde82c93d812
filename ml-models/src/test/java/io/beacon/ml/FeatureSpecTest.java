package io.beacon.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureSpecTest {

    @Test
    void shouldListBaseFeaturesThenPerEventCountsThenPlatform() {
        FeatureSpec spec = FeatureSpec.of(List.of(), List.of("purchase", "view", "purchase"), FeatureSpec.DEFAULT_HORIZON_MS);
        assertEquals(13 + 4 + 4, spec.size());
        assertEquals(List.of("count_7d:purchase", "count_30d:purchase", "count_7d:view", "count_30d:view"), spec.featureNames().subList(13, 17));
        assertEquals("platform_other", spec.featureNames().get(20));
        assertEquals(List.of("purchase", "view"), spec.trackedEvents());
    }

    @Test
    void shouldKeepTheFingerprintStableAcrossRunsAndJvms() {
        FeatureSpec spec = FeatureSpec.of(List.of("app_open"), List.of("purchase"), FeatureSpec.DEFAULT_HORIZON_MS);
        // pinned: a change here means every stored model becomes incompatible
        assertEquals(FeatureSpec.fingerprintOf(spec.featureNames()), spec.fingerprint());
        assertEquals(PINNED, spec.fingerprint());
    }

    static final String PINNED = "e3a15ce5b46dd40fab81c3a17cff131ed207e3b5d5cf55ef5ee73f54bc438b1f";

    @Test
    void shouldChangeTheFingerprintWithTheFeatureListOnly() {
        FeatureSpec a = FeatureSpec.of(List.of(), List.of("purchase", "view"), FeatureSpec.DEFAULT_HORIZON_MS);
        FeatureSpec b = FeatureSpec.of(List.of(), List.of("view", "purchase"), FeatureSpec.DEFAULT_HORIZON_MS);
        FeatureSpec c = FeatureSpec.of(List.of("purchase"), List.of("purchase", "view"), 7 * Fixtures.DAY);
        assertNotEquals(a.fingerprint(), b.fingerprint());
        assertEquals(a.fingerprint(), c.fingerprint());
    }

    @Test
    void shouldRefuseANonPositiveHorizon() {
        assertThrows(IllegalArgumentException.class, () -> FeatureSpec.of(List.of(), List.of(), 0));
    }
}
