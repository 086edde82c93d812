package io.beacon.ml;

import io.beacon.event.Event;
import io.beacon.event.EventType;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A test-only {@link FeatureState} computed directly from an event list, with the window semantics of
 * {@link FeatureWindow} (UTC days for D7, PREV_D7, D30), and the matching {@link StateReplay}.
 */
public final class EventListState implements FeatureState {
    private static final long DAY = 86_400_000L;
    private final List<Event> events;

    public EventListState(List<Event> events) {
        this.events = List.copyOf(events);
    }

    /** The replay port over this state. */
    public static final StateReplay REPLAY = (eventsUpTo, asOfMs) -> new EventListState(eventsUpTo);

    @Override
    public long firstSeenMs() {
        return events.stream().mapToLong(Event::eventTime).min().orElse(-1);
    }

    @Override
    public long lastSeenMs() {
        return events.stream().mapToLong(Event::eventTime).max().orElse(-1);
    }

    @Override
    public long sessionsCount() {
        Set<String> s = new HashSet<>();
        for (Event e : events) {
            if (e.sessionId() != null && e.type() != EventType.IDENTIFY) {
                s.add(e.sessionId());
            }
        }
        return s.size();
    }

    @Override
    public Set<String> eventNames() {
        Set<String> s = new TreeSet<>();
        events.forEach(e -> s.add(e.eventName()));
        return s;
    }

    static boolean in(long t, FeatureWindow w, long now) {
        if (t > now) {
            return false;
        }
        long today = Math.floorDiv(now, DAY);
        long day = Math.floorDiv(t, DAY);
        switch (w) {
            case H24:
                return t > now - DAY;
            case D7:
                return day > today - 7;
            case PREV_D7:
                return day <= today - 7 && day > today - 14;
            case D30:
                return day > today - 30;
            default:
                return true;
        }
    }

    @Override
    public long count(String event, FeatureWindow w, long nowMs) {
        return events.stream().filter(e -> e.type() != EventType.IDENTIFY && e.eventName().equals(event) && in(e.eventTime(), w, nowMs)).count();
    }

    @Override
    public long countAll(FeatureWindow w, long nowMs) {
        return events.stream().filter(e -> e.type() != EventType.IDENTIFY && in(e.eventTime(), w, nowMs)).count();
    }

    @Override
    public double revenue(FeatureWindow w, long nowMs) {
        double sum = 0;
        for (Event e : events) {
            if (in(e.eventTime(), w, nowMs) && e.properties().get("revenue") instanceof Number n) {
                sum += n.doubleValue();
            }
        }
        return sum;
    }

    @Override
    public long activeDays(FeatureWindow w, long nowMs) {
        return events.stream().filter(e -> e.type() != EventType.IDENTIFY && in(e.eventTime(), w, nowMs))
                .map(e -> Math.floorDiv(e.eventTime(), DAY)).distinct().count();
    }

    @Override
    public Optional<String> textTrait(String name) {
        Optional<String> latest = Optional.empty();
        for (Event e : events) {
            Object v = e.traits().get(name);
            if (v != null) {
                latest = Optional.of(String.valueOf(v));
            }
        }
        return latest;
    }
}
