package io.beacon.event;

import java.util.Objects;

/**
 * A link from a distinct id to the person it belongs to, as published on
 * {@code beacon.person-distinct-ids} (key {@code project:distinct_id}) and stored in the ClickHouse
 * {@code person_distinct_ids} table, where the highest {@code version} of a distinct id wins.
 * Events stored before the link keep their ingest-time {@code person_id}; analyses re-attribute them
 * at query time by looking their {@code person_id} up here (the views of the warehouse do).
 *
 * @param projectId  the project
 * @param distinctId the linked id (an anonymous id, or a user id recorded as itself)
 * @param personId   the person (its canonical distinct id)
 * @param version    when the link was made (received time of the linking event, epoch ms)
 * @param eventId    the event that made the link, for audit
 */
public record PersonDistinctId(String projectId, String distinctId, String personId, long version, String eventId) {

    public PersonDistinctId {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(distinctId, "distinctId");
        Objects.requireNonNull(personId, "personId");
    }

    /** The topic key, {@code project:distinct_id}. */
    public String key() {
        return projectId + ":" + distinctId;
    }
}
