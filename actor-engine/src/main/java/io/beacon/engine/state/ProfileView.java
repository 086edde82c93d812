package io.beacon.engine.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.control.audience.Window;
import io.beacon.ml.Contribution;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A user's profile at one instant, as {@code GET /api/v1/users/{id}} shows it ({@link ProfileJson}):
 * window counts and revenue computed at {@code asOfMs}.
 *
 * @param counts event name → window → count at {@code asOfMs}, names sorted
 * @param segments     the user's memberships with the segment names known to the caller
 * @param explanations score name → its top contributing features (only scores the caller could explain)
 */
public record ProfileView(String projectId, String personId, long asOfMs, long firstSeenMs, long lastSeenMs,
                          Map<String, Map<Window, Long>> counts, long untrackedEvents, long sessions,
                          Map<Window, Double> revenue, List<RecentEvent> lastEvents, Map<String, JsonNode> traits,
                          List<SegmentEntry> segments, Map<String, Score> scores, Map<String, List<Contribution>> explanations) {

    /** One membership: segment id, its name ({@code null} when the definition is gone) and entry time. */
    public record SegmentEntry(String id, String name, long enteredAtMs) {
    }

    /**
     * The view of {@code s} at {@code nowMs}; {@code segmentName} names a segment id (or returns
     * {@code null}).
     */
    public static ProfileView of(UserState s, Function<String, String> segmentName, long nowMs) {
        Map<String, Map<Window, Long>> counts = new TreeMap<>();
        for (String name : s.eventNames()) {
            Map<Window, Long> perWindow = new EnumMap<>(Window.class);
            for (Window w : Window.values()) {
                perWindow.put(w, s.count(name, w, nowMs));
            }
            counts.put(name, perWindow);
        }
        Map<Window, Double> revenue = new EnumMap<>(Window.class);
        for (Window w : Window.values()) {
            revenue.put(w, s.revenue(w, nowMs));
        }
        List<SegmentEntry> segments = new ArrayList<>();
        s.memberships().forEach((id, at) -> segments.add(new SegmentEntry(id, segmentName.apply(id), at)));
        return new ProfileView(s.projectId(), s.personId(), nowMs, s.firstSeenMs(), s.lastSeenMs(), counts,
                s.untrackedEvents(), s.sessionsCount(), revenue, List.copyOf(s.lastEvents()), Map.copyOf(s.traits()),
                List.copyOf(segments), Map.copyOf(s.scores()), Map.of());
    }

    /** A copy with these explanations of scores. */
    public ProfileView withExplanations(Map<String, List<Contribution>> byScore) {
        return new ProfileView(projectId, personId, asOfMs, firstSeenMs, lastSeenMs, counts, untrackedEvents, sessions, revenue,
                lastEvents, traits, segments, scores, Map.copyOf(byScore));
    }
}
