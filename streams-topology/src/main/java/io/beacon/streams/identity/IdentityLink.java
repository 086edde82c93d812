package io.beacon.streams.identity;

import java.util.Objects;

/**
 * The identity store's value for one distinct id: the person it belongs to.
 *
 * @param personId   the person (its canonical distinct id)
 * @param identified whether the id is a user id recorded by its own claim (rather than a linked anonymous id)
 * @param linkedAt   received time of the event that made the entry (epoch ms)
 * @param eventId    that event
 */
public record IdentityLink(String personId, boolean identified, long linkedAt, String eventId) {
    public IdentityLink {
        Objects.requireNonNull(personId, "personId");
    }
}
