package io.beacon.engine.state;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of per-user state, from {@code beacon.engine.*} (documented in the module's
 * {@code reference.conf}).
 *
 * @param lastEventsKept          how many latest events a user keeps (&ge; 0)
 * @param maxTrackedEventNames    distinct event names counted per user (&ge; 1)
 * @param recentSessionIds        session ids remembered to recognize a new session (&ge; 1)
 * @param revenueProperty         per-project overrides of the revenue property (project → property)
 * @param defaultRevenueProperty  the revenue property of projects without an override
 */
public record EngineSettings(int lastEventsKept, int maxTrackedEventNames, int recentSessionIds,
                             Map<String, String> revenueProperty, String defaultRevenueProperty) {
    public static final String PREFIX = "beacon.engine";

    public EngineSettings {
        if (lastEventsKept < 0 || maxTrackedEventNames < 1 || recentSessionIds < 1) {
            throw new IllegalArgumentException("last-events-kept >= 0, max-tracked-event-names >= 1, recent-session-ids >= 1");
        }
        revenueProperty = Map.copyOf(revenueProperty);
        Objects.requireNonNull(defaultRevenueProperty, "defaultRevenueProperty");
    }

    /** The defaults of {@code reference.conf}. */
    public static EngineSettings defaults() {
        return fromConfig(ConfigFactory.defaultReference());
    }

    /** Reads {@code beacon.engine.*} (with the module's reference defaults as fallback). */
    public static EngineSettings fromConfig(Config root) {
        Config c = root.withFallback(ConfigFactory.defaultReference()).getConfig(PREFIX);
        Map<String, String> byProject = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> e : c.getConfig("revenue-property-by-project").root().entrySet()) {
            byProject.put(e.getKey(), String.valueOf(e.getValue().unwrapped()));
        }
        return new EngineSettings(c.getInt("last-events-kept"), c.getInt("max-tracked-event-names"),
                c.getInt("recent-session-ids"), byProject, c.getString("revenue-property"));
    }

    /** The revenue property of {@code projectId}. */
    public String revenuePropertyFor(String projectId) {
        return revenueProperty.getOrDefault(projectId, defaultRevenueProperty);
    }

    public EngineSettings withRevenueProperty(String projectId, String property) {
        Map<String, String> m = new LinkedHashMap<>(revenueProperty);
        m.put(projectId, property);
        return new EngineSettings(lastEventsKept, maxTrackedEventNames, recentSessionIds, m, defaultRevenueProperty);
    }
}
