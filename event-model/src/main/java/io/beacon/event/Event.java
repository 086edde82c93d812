package io.beacon.event;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The canonical event every wire format (Segment, native, later PostHog) is mapped to. It is what
 * {@code beacon.events.valid} carries and what the warehouse stores, column for column.
 *
 * <p>Times are epoch milliseconds, UTC. {@code eventTime} is the skew-corrected time the event
 * happened (see {@link EventTimes}); {@code clientTime} and {@code sentAt} are the client's own
 * clock readings, kept for diagnosis. Empty strings are never stored: absent values are {@code null}.
 *
 * <p>{@code personId} is set by the topology's identity stage (absent before it, e.g. on the raw
 * topic and in the gateway): the canonical distinct id of the person the event belongs to at
 * ingest — the user id for identified events, the id an anonymous id was linked to, otherwise the
 * anonymous id itself. {@code sessionId} on {@code beacon.events.valid} is always set (the
 * client's when valid, otherwise assigned by the topology's sessionization).
 */
public record Event(
        String eventId,
        String projectId,
        EventType type,
        String eventName,
        String userId,
        String anonymousId,
        String sessionId,
        long eventTime,
        long receivedAt,
        Long clientTime,
        Long sentAt,
        String platform,
        String country,
        String region,
        String city,
        String deviceModel,
        String osName,
        String osVersion,
        String appVersion,
        String pageUrl,
        String pageTitle,
        String pagePath,
        String referrer,
        String ip,
        String userAgent,
        String libraryName,
        String libraryVersion,
        String groupId,
        String previousId,
        Map<String, Object> properties,
        Map<String, Object> traits,
        List<String> warnings,
        String personId) {

    /** Longest accepted event name, id or other identifier, in characters (every wire mapping enforces it). */
    public static final int MAX_ID_LENGTH = 200;

    public Event {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(eventName, "eventName");
        properties = properties == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        traits = traits == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(traits));
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /**
     * The id analyses count people by until identity resolution exists: the user id when known,
     * otherwise the anonymous/device id.
     */
    public String distinctId() {
        return userId != null ? userId : anonymousId;
    }

    /** The Kafka record key: {@code project:distinct_id}, so one person's events stay in order. */
    public String partitionKey() {
        return projectId + ":" + distinctId();
    }

    /**
     * The key of {@code beacon.events.valid}: {@code project:person_id} once identity is resolved,
     * {@link #partitionKey()} before.
     */
    public String personKey() {
        return projectId + ":" + (personId != null ? personId : distinctId());
    }

    /** A copy attributed to {@code newPersonId} (identity resolution). */
    public Event withPersonId(String newPersonId) {
        return new Event(eventId, projectId, type, eventName, userId, anonymousId, sessionId, eventTime, receivedAt,
                clientTime, sentAt, platform, country, region, city, deviceModel, osName, osVersion, appVersion,
                pageUrl, pageTitle, pagePath, referrer, ip, userAgent, libraryName, libraryVersion, groupId, previousId,
                properties, traits, warnings, newPersonId);
    }

    /** A copy in session {@code newSessionId} (sessionization). */
    public Event withSessionId(String newSessionId) {
        return new Event(eventId, projectId, type, eventName, userId, anonymousId, newSessionId, eventTime, receivedAt,
                clientTime, sentAt, platform, country, region, city, deviceModel, osName, osVersion, appVersion,
                pageUrl, pageTitle, pagePath, referrer, ip, userAgent, libraryName, libraryVersion, groupId, previousId,
                properties, traits, warnings, personId);
    }

    /** A copy with the event time replaced (the topology's timestamp rule). */
    public Event withEventTime(long newEventTime) {
        return new Event(eventId, projectId, type, eventName, userId, anonymousId, sessionId, newEventTime, receivedAt,
                clientTime, sentAt, platform, country, region, city, deviceModel, osName, osVersion, appVersion,
                pageUrl, pageTitle, pagePath, referrer, ip, userAgent, libraryName, libraryVersion, groupId, previousId,
                properties, traits, warnings, personId);
    }

    /** A copy with {@code newProperties} (e.g. coerced and PII-transformed by the registry). */
    public Event withProperties(Map<String, Object> newProperties) {
        return new Event(eventId, projectId, type, eventName, userId, anonymousId, sessionId, eventTime, receivedAt,
                clientTime, sentAt, platform, country, region, city, deviceModel, osName, osVersion, appVersion,
                pageUrl, pageTitle, pagePath, referrer, ip, userAgent, libraryName, libraryVersion, groupId, previousId,
                newProperties, traits, warnings, personId);
    }

    /** A copy with {@code newTraits}. */
    public Event withTraits(Map<String, Object> newTraits) {
        return new Event(eventId, projectId, type, eventName, userId, anonymousId, sessionId, eventTime, receivedAt,
                clientTime, sentAt, platform, country, region, city, deviceModel, osName, osVersion, appVersion,
                pageUrl, pageTitle, pagePath, referrer, ip, userAgent, libraryName, libraryVersion, groupId, previousId,
                properties, newTraits, warnings, personId);
    }

    /** A copy with {@code newWarnings} (the warnings column). */
    public Event withWarnings(List<String> newWarnings) {
        return new Event(eventId, projectId, type, eventName, userId, anonymousId, sessionId, eventTime, receivedAt,
                clientTime, sentAt, platform, country, region, city, deviceModel, osName, osVersion, appVersion,
                pageUrl, pageTitle, pagePath, referrer, ip, userAgent, libraryName, libraryVersion, groupId, previousId,
                properties, traits, newWarnings, personId);
    }

    /** A copy with the page columns replaced (e.g. when the registry classes {@code url} as PII). */
    public Event withPageFields(String newPageUrl, String newPageTitle, String newPagePath, String newReferrer) {
        return new Event(eventId, projectId, type, eventName, userId, anonymousId, sessionId, eventTime, receivedAt,
                clientTime, sentAt, platform, country, region, city, deviceModel, osName, osVersion, appVersion,
                newPageUrl, newPageTitle, newPagePath, newReferrer, ip, userAgent, libraryName, libraryVersion, groupId,
                previousId, properties, traits, warnings, personId);
    }
}
