package io.beacon.event;

import java.util.List;
import java.util.Objects;

/**
 * The state of one session after an update, as published on {@code beacon.sessions} (key
 * {@code project:session_id}) and stored in the ClickHouse {@code sessions} table. A session is
 * re-published every time an event extends it; the highest {@code version} is the current state.
 *
 * <p>When a late event bridges two sessions, the later one is merged into the earlier: the survivor's
 * summary lists every session merged into it so far in {@code mergedSessionIds} (so that stores can
 * mark them deleted and point them at the survivor), and the merged-away key gets a tombstone on the
 * topic. Times are epoch milliseconds (UTC), from the events' corrected {@code eventTime}.
 *
 * @param projectId        the project
 * @param sessionId        the client's session id when it sent a valid one, else assigned by the topology
 * @param personId         the person of the session's latest event, at ingest (see {@link Event#personId()})
 * @param deviceKey        the identity key the session was built under (anonymous/device id, else user id)
 * @param clientDefined    whether the client defined the session (its own id; no server-side gap/length rules)
 * @param startTime        earliest event time
 * @param endTime          latest event time
 * @param eventCount       events in the session
 * @param pageviewCount    page and screen events in the session
 * @param entryUrl         page URL of the earliest event that has one ({@code null} when none has)
 * @param exitUrl          page URL of the latest event that has one
 * @param referrer         referrer of the earliest event
 * @param utmSource        {@code utm_source} of the earliest event (property, else its page URL's query)
 * @param utmMedium        likewise {@code utm_medium}
 * @param utmCampaign      likewise {@code utm_campaign}
 * @param utmTerm          likewise {@code utm_term}
 * @param utmContent       likewise {@code utm_content}
 * @param platform         platform of the earliest event
 * @param mergedSessionIds sessions merged into this one (they no longer exist on their own)
 * @param version          increases with every publication of any session of the same identity key
 */
public record SessionSummary(
        String projectId,
        String sessionId,
        String personId,
        String deviceKey,
        boolean clientDefined,
        long startTime,
        long endTime,
        long eventCount,
        long pageviewCount,
        String entryUrl,
        String exitUrl,
        String referrer,
        String utmSource,
        String utmMedium,
        String utmCampaign,
        String utmTerm,
        String utmContent,
        String platform,
        List<String> mergedSessionIds,
        long version) {

    public SessionSummary {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(sessionId, "sessionId");
        mergedSessionIds = mergedSessionIds == null ? List.of() : List.copyOf(mergedSessionIds);
    }

    /** Session length in milliseconds ({@code endTime − startTime}). */
    public long durationMillis() {
        return endTime - startTime;
    }

    /** The topic key, {@code project:session_id}. */
    public static String key(String projectId, String sessionId) {
        return projectId + ":" + sessionId;
    }
}
