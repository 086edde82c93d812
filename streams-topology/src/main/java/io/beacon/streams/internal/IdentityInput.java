package io.beacon.streams.internal;

import io.beacon.event.Event;

/**
 * A record of the identity repartition topic: either an event to resolve and sessionize, or the claim
 * of a user id (sent by an identify/alias event resolved under another key) to record under its own key.
 *
 * @param event the event, or {@code null} for a claim
 * @param claim the claim, or {@code null} for an event
 */
public record IdentityInput(Event event, Claim claim) {

    /**
     * A user id that identified itself.
     *
     * @param projectId  its project
     * @param userId     the user id
     * @param eventId    the identify/alias event
     * @param receivedAt that event's received time
     */
    public record Claim(String projectId, String userId, String eventId, long receivedAt) {
    }

    public static IdentityInput of(Event event) {
        return new IdentityInput(event, null);
    }

    public static IdentityInput of(Claim claim) {
        return new IdentityInput(null, claim);
    }
}
