package io.beacon.engine.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.audience.Window;
import io.beacon.ml.Contribution;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON of {@code GET /api/v1/users/{id}}:
 * <pre>
 * {"project_id","person_id","as_of","first_seen","last_seen","first_seen_ms","last_seen_ms",
 *  "events":{"purchase":{"1h":0,"24h":1,"7d":2,"30d":2,"all":5}, …},
 *  "untracked_events":0, "sessions":3,
 *  "revenue":{"1h":0.0,"24h":19.9,"7d":19.9,"30d":59.7,"all":59.7},
 *  "last_events":[{"event_id","event","timestamp","timestamp_ms","session_id"?}, …],   (newest first)
 *  "traits":{…},
 *  "segments":[{"id","name"?,"entered_at","entered_at_ms"}],
 *  "scores":{"churn_risk":{"value":0.31,"updated_at","updated_at_ms","model_version"?,
 *             "top_features"?:[{"feature","value","contribution"}, …]}}}
 * </pre>
 * Times are ISO-8601 UTC with the epoch milliseconds beside them. {@code model_version} is there for scores a model
 * computed; {@code top_features} for scores the active model explains (docs/engine.md, "Scores").
 */
public final class ProfileJson {
    private ProfileJson() {
    }

    public static ObjectNode write(ProfileView v) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("project_id", v.projectId());
        o.put("person_id", v.personId());
        o.put("as_of", iso(v.asOfMs()));
        if (v.firstSeenMs() >= 0) {
            o.put("first_seen", iso(v.firstSeenMs()));
            o.put("last_seen", iso(v.lastSeenMs()));
        }
        o.put("first_seen_ms", v.firstSeenMs());
        o.put("last_seen_ms", v.lastSeenMs());
        ObjectNode events = o.putObject("events");
        for (Map.Entry<String, Map<Window, Long>> e : v.counts().entrySet()) {
            ObjectNode w = events.putObject(e.getKey());
            for (Window win : Window.values()) {
                w.put(win.wireName(), e.getValue().getOrDefault(win, 0L));
            }
        }
        o.put("untracked_events", v.untrackedEvents());
        o.put("sessions", v.sessions());
        ObjectNode revenue = o.putObject("revenue");
        for (Window win : Window.values()) {
            revenue.put(win.wireName(), v.revenue().getOrDefault(win, 0.0));
        }
        ArrayNode last = o.putArray("last_events");
        for (RecentEvent r : v.lastEvents()) {
            ObjectNode x = last.addObject();
            x.put("event_id", r.eventId());
            x.put("event", r.name());
            x.put("timestamp", iso(r.timestampMs()));
            x.put("timestamp_ms", r.timestampMs());
            if (r.sessionId() != null) {
                x.put("session_id", r.sessionId());
            }
        }
        ObjectNode traits = o.putObject("traits");
        for (Map.Entry<String, JsonNode> e : new TreeMap<>(v.traits()).entrySet()) {
            traits.set(e.getKey(), e.getValue());
        }
        ArrayNode segments = o.putArray("segments");
        for (ProfileView.SegmentEntry s : v.segments()) {
            ObjectNode x = segments.addObject();
            x.put("id", s.id());
            if (s.name() != null) {
                x.put("name", s.name());
            }
            x.put("entered_at", iso(s.enteredAtMs()));
            x.put("entered_at_ms", s.enteredAtMs());
        }
        ObjectNode scores = o.putObject("scores");
        for (Map.Entry<String, Score> e : new TreeMap<>(v.scores()).entrySet()) {
            ObjectNode x = scores.putObject(e.getKey());
            x.put("value", e.getValue().value());
            x.put("updated_at", iso(e.getValue().updatedAtMs()));
            x.put("updated_at_ms", e.getValue().updatedAtMs());
            if (e.getValue().modelVersion() != null) {
                x.put("model_version", e.getValue().modelVersion());
            }
            List<Contribution> top = v.explanations().get(e.getKey());
            if (top != null) {
                ArrayNode features = x.putArray("top_features");
                for (Contribution c : top) {
                    ObjectNode f = features.addObject();
                    f.put("feature", c.feature());
                    f.put("value", c.value());
                    f.put("contribution", c.contribution());
                }
            }
        }
        return o;
    }

    static String iso(long ms) {
        return Instant.ofEpochMilli(ms).toString();
    }
}
