package io.beacon.engine.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.ml.FeatureState;
import io.beacon.ml.FeatureWindow;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link UserState} as the feature extractor reads it ({@link FeatureState}): the one adapter the engine scores
 * live states through and {@link UserStateReplay} hands to training, so online and offline vectors come from the
 * same code. Windows ({@link FeatureWindow}) are read from the state's bucket rings as closed ranges of buckets
 * ending with the bucket of {@code now} (an event dated after {@code now} is outside every window but
 * {@link FeatureWindow#ALL}):
 * <ul>
 *   <li>{@code H24}: the hour buckets {@code [hour(now) − 23, hour(now)]};</li>
 *   <li>{@code D7}: the UTC-day buckets {@code [day(now) − 6, day(now)]}; {@code PREV_D7}: {@code [day(now) − 13,
 *       day(now) − 7]}; {@code D30}: {@code [day(now) − 29, day(now)]};</li>
 *   <li>{@code ALL}: the all-time total.</li>
 * </ul>
 * A view, not a copy: it reads the state as it is at each call. Not thread-safe (like the state).
 */
public final class UserStateFeatures implements FeatureState {
    private final UserState state;

    public UserStateFeatures(UserState state) {
        this.state = state;
    }

    public UserState state() {
        return state;
    }

    @Override
    public long firstSeenMs() {
        return state.firstSeenMs();
    }

    @Override
    public long lastSeenMs() {
        return state.lastSeenMs();
    }

    @Override
    public long sessionsCount() {
        return state.sessionsCount();
    }

    @Override
    public Set<String> eventNames() {
        return state.eventNames();
    }

    @Override
    public long count(String event, FeatureWindow w, long nowMs) {
        WindowedCounter c = state.counter(event);
        return c == null ? 0 : Math.round(sum(c.series, w, nowMs));
    }

    @Override
    public long countAll(FeatureWindow w, long nowMs) {
        return Math.round(sum(state.allEvents.series, w, nowMs));
    }

    @Override
    public double revenue(FeatureWindow w, long nowMs) {
        return sum(state.revenue.series, w, nowMs);
    }

    @Override
    public long activeDays(FeatureWindow w, long nowMs) {
        long today = WindowSpec.bucket(nowMs, WindowSpec.DAY_MS);
        return switch (w) {
            case D7 -> state.allEvents.series.nonEmptyDays(today - 6, today);
            case PREV_D7 -> state.allEvents.series.nonEmptyDays(today - 13, today - 7);
            case D30 -> state.allEvents.series.nonEmptyDays(today - 29, today);
            case H24, ALL -> throw new IllegalArgumentException("active days are kept for D7, PREV_D7 and D30, not " + w);
        };
    }

    @Override
    public Optional<String> textTrait(String name) {
        JsonNode v = state.traits().get(name);
        if (v == null || v.isNull() || v.isContainerNode()) {
            return Optional.empty();
        }
        return Optional.of(v.asText());
    }

    private static double sum(WindowedSeries s, FeatureWindow w, long nowMs) {
        long today = WindowSpec.bucket(nowMs, WindowSpec.DAY_MS);
        return switch (w) {
            case H24 -> {
                long hour = WindowSpec.bucket(nowMs, WindowSpec.HOUR_MS);
                yield s.sumHours(hour - 23, hour);
            }
            case D7 -> s.sumDays(today - 6, today);
            case PREV_D7 -> s.sumDays(today - 13, today - 7);
            case D30 -> s.sumDays(today - 29, today);
            case ALL -> s.total;
        };
    }
}
