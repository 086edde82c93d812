package io.beacon.analytics.timeline;

import io.beacon.analytics.QueryStats;
import java.util.List;
import java.util.Map;

/**
 * One page of a person's timeline.
 *
 * @param id          the id asked for
 * @param person      the person it resolves to today
 * @param events      the page, in timeline order
 * @param sessions    the sessions of the page's events, in order of their first event on the page
 * @param nextCursor  pass as {@code cursor} for the next page; {@code null} on the last page
 */
public record TimelineResult(String id, String person, List<Event> events, List<Session> sessions, String nextCursor,
                             List<QueryStats> queries, long millis) {

    /** One event; {@code time} is ISO-8601 UTC with milliseconds. */
    public record Event(String eventId, String event, String type, String time, long timeMs, String distinctId, String sessionId,
                        String pageUrl, String pagePath, String country, Map<String, String> properties) {
    }

    /**
     * A session the page touches: its first and last event and event count over the person's whole history;
     * {@code eventsOnPage} of them are on this page.
     */
    public record Session(String sessionId, String start, String end, long startMs, long endMs, long eventCount, int eventsOnPage) {
    }
}
