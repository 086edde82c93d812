package io.beacon.streams.sessions;

import io.beacon.event.Event;
import io.beacon.event.EventType;
import io.beacon.event.SessionSummary;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One session as kept in a device's state: its bounds, counts and the attributes of its first, entry
 * and exit events. Immutable; {@link #plus(Event)} and {@link #absorb(SessionState)} return new states.
 */
public record SessionState(
        String id,
        boolean clientDefined,
        long start,
        long end,
        long eventCount,
        long pageviewCount,
        long entryTime,
        String entryUrl,
        long exitTime,
        String exitUrl,
        String referrer,
        Map<String, String> utm,
        String platform,
        String personId,
        List<String> merged) {

    /** UTM parameters read from the first event, by property name and from its page URL's query. */
    static final List<String> UTM_KEYS = List.of("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content");

    public SessionState {
        utm = utm == null ? Map.of() : Map.copyOf(utm);
        merged = merged == null ? List.of() : List.copyOf(merged);
    }

    /** A session holding only {@code event}. */
    public static SessionState start(String id, boolean clientDefined, Event event) {
        long t = event.eventTime();
        boolean hasUrl = event.pageUrl() != null;
        return new SessionState(id, clientDefined, t, t, 1, isPageview(event) ? 1 : 0,
                hasUrl ? t : Long.MAX_VALUE, event.pageUrl(), hasUrl ? t : Long.MIN_VALUE, event.pageUrl(),
                event.referrer(), utmOf(event), event.platform(), event.personId(), List.of());
    }

    /** This session with {@code event} added. */
    public SessionState plus(Event event) {
        return absorbParts(start(id, clientDefined, event), event.personId(), merged);
    }

    /** This session with {@code other} merged into it (this one's id survives). */
    public SessionState absorb(SessionState other) {
        List<String> ids = new ArrayList<>(merged);
        ids.add(other.id());
        ids.addAll(other.merged());
        return absorbParts(other, personId, ids);
    }

    private SessionState absorbParts(SessionState o, String person, List<String> mergedIds) {
        boolean earlierStart = o.start < start;
        boolean earlierEntry = o.entryTime < entryTime;
        boolean laterExit = o.exitTime > exitTime || (o.exitTime == exitTime && o.exitUrl != null);
        return new SessionState(id, clientDefined,
                Math.min(start, o.start), Math.max(end, o.end),
                eventCount + o.eventCount, pageviewCount + o.pageviewCount,
                earlierEntry ? o.entryTime : entryTime, earlierEntry ? o.entryUrl : entryUrl,
                laterExit ? o.exitTime : exitTime, laterExit ? o.exitUrl : exitUrl,
                earlierStart ? o.referrer : referrer, earlierStart ? o.utm : utm, earlierStart ? o.platform : platform,
                person != null ? person : personId, mergedIds);
    }

    /** The published form. */
    public SessionSummary summary(String projectId, String deviceKey, long version) {
        return new SessionSummary(projectId, id, personId, deviceKey, clientDefined, start, end, eventCount, pageviewCount,
                entryUrl, exitUrl, referrer, utm.get("utm_source"), utm.get("utm_medium"), utm.get("utm_campaign"),
                utm.get("utm_term"), utm.get("utm_content"), platform, merged, version);
    }

    /** Page and screen calls ({@code $pageview}/{@code $screen}) count as page views. */
    static boolean isPageview(Event event) {
        return event.type() == EventType.PAGE || event.type() == EventType.SCREEN;
    }

    static Map<String, String> utmOf(Event event) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, String> query = query(event.pageUrl());
        for (String key : UTM_KEYS) {
            Object v = event.properties().get(key);
            String value = v instanceof String s && !s.isEmpty() ? s : query.get(key);
            if (value != null) {
                out.put(key, value);
            }
        }
        return out;
    }

    private static Map<String, String> query(String url) {
        if (url == null || !url.contains("?")) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        try {
            String q = URI.create(url.trim()).getRawQuery();
            if (q == null) {
                return Map.of();
            }
            for (String pair : q.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        } catch (IllegalArgumentException e) {
            return Map.of(); // not a URL we can read: no UTM from it
        }
        return out;
    }
}
