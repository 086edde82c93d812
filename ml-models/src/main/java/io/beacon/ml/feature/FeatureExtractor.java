package io.beacon.ml.feature;

import io.beacon.ml.FeatureSpec;
import io.beacon.ml.FeatureState;
import io.beacon.ml.FeatureVector;
import io.beacon.ml.FeatureWindow;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Computes the feature vector of {@link FeatureSpec} from a {@link FeatureState} as of a time (docs/ml.md,
 * "Features", defines each feature). Pure: the result depends only on the state's answers and the time;
 * immutable and safe to share between threads. {@link #extractInto} allocates nothing but the trait lookup.
 */
public final class FeatureExtractor {
    static final double DAY_MS = 86_400_000.0;

    /** The traits read for the platform, in order: the first present one decides. */
    public static final List<String> PLATFORM_TRAITS = List.of("platform", "$os", "os");

    private final FeatureSpec spec;
    private final String[] tracked;

    public FeatureExtractor(FeatureSpec spec) {
        this.spec = spec;
        this.tracked = spec.trackedEvents().toArray(new String[0]);
        List<String> expected = FeatureSpec.of(spec.qualifyingEvents(), spec.trackedEvents(), spec.horizonMs()).featureNames();
        if (!expected.equals(spec.featureNames())) {
            throw new IllegalArgumentException("the spec's feature list is not the canonical one for its tracked events: " + spec.featureNames());
        }
    }

    public FeatureSpec spec() {
        return spec;
    }

    /** A new vector of the state at {@code asOfMs}. */
    public double[] extract(FeatureState s, long asOfMs) {
        double[] out = new double[spec.size()];
        extractInto(s, asOfMs, out);
        return out;
    }

    /** The vector with its names. */
    public FeatureVector vector(FeatureState s, long asOfMs) {
        return new FeatureVector(spec.featureNames(), extract(s, asOfMs));
    }

    /** Writes the vector of the state at {@code asOfMs} into {@code out} (length {@link FeatureSpec#size()}). */
    public void extractInto(FeatureState s, long asOfMs, double[] out) {
        if (out.length != spec.size()) {
            throw new IllegalArgumentException("out has " + out.length + " slots, the spec " + spec.size());
        }
        long first = s.firstSeenMs();
        long last = s.lastSeenMs();
        int i = 0;
        out[i++] = last < 0 ? 0 : Math.max(0, asOfMs - last) / DAY_MS;
        out[i++] = first < 0 ? 0 : Math.max(0, asOfMs - first) / DAY_MS;
        out[i++] = s.sessionsCount();
        out[i++] = s.countAll(FeatureWindow.H24, asOfMs);
        long d7 = s.countAll(FeatureWindow.D7, asOfMs);
        out[i++] = d7;
        out[i++] = s.countAll(FeatureWindow.D30, asOfMs);
        out[i++] = s.countAll(FeatureWindow.ALL, asOfMs);
        out[i++] = s.activeDays(FeatureWindow.D7, asOfMs);
        out[i++] = s.activeDays(FeatureWindow.D30, asOfMs);
        out[i++] = (d7 + 1.0) / (s.countAll(FeatureWindow.PREV_D7, asOfMs) + 1.0);
        out[i++] = s.revenue(FeatureWindow.D7, asOfMs);
        out[i++] = s.revenue(FeatureWindow.D30, asOfMs);
        out[i++] = s.revenue(FeatureWindow.ALL, asOfMs);
        for (String e : tracked) {
            out[i++] = s.count(e, FeatureWindow.D7, asOfMs);
            out[i++] = s.count(e, FeatureWindow.D30, asOfMs);
        }
        Platform p = platformOf(s);
        out[i++] = p == Platform.IOS ? 1 : 0;
        out[i++] = p == Platform.ANDROID ? 1 : 0;
        out[i++] = p == Platform.WEB ? 1 : 0;
        out[i] = p == Platform.OTHER ? 1 : 0;
    }

    /** The platform class of a trait value. */
    public enum Platform { IOS, ANDROID, WEB, OTHER, NONE }

    static Platform platformOf(FeatureState s) {
        for (String trait : PLATFORM_TRAITS) {
            Optional<String> v = s.textTrait(trait);
            if (v.isPresent() && !v.get().isBlank()) {
                return classify(v.get());
            }
        }
        return Platform.NONE;
    }

    /**
     * ios: contains "ios", "iphone" or "ipad"; android: contains "android"; web: "web", "browser",
     * "javascript", "js" or contains "web"; anything else present: other (case-insensitive).
     */
    public static Platform classify(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.contains("ios") || t.contains("iphone") || t.contains("ipad")) {
            return Platform.IOS;
        }
        if (t.contains("android")) {
            return Platform.ANDROID;
        }
        if (t.contains("web") || t.equals("browser") || t.equals("javascript") || t.equals("js")) {
            return Platform.WEB;
        }
        return Platform.OTHER;
    }
}
