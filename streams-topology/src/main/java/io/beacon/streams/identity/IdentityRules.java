package io.beacon.streams.identity;

import io.beacon.event.Event;
import io.beacon.event.EventType;
import io.beacon.event.PersonDistinctId;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Identity resolution as plain functions: which ids may be merged, under which key an event is
 * resolved, and which person it belongs to. No Kafka here; {@code ResolveProcessor} keeps the store.
 *
 * <h2>Model</h2>
 * A person is named by its <em>canonical distinct id</em>: a user id is always its own person (user
 * ids are never re-pointed, because merging two identified users is refused); an anonymous id is its
 * own person until an {@code identify} (user id + anonymous id, also the native {@code user_id} +
 * {@code device_id} pair and PostHog's {@code $identify}) or an {@code alias} (previous id → user id)
 * links it to a user id. Links live in the identity store ({@code project:distinct_id → link}); an
 * anonymous id is linked at most once. Events already stored keep their ingest-time person; analyses
 * re-attribute them through the {@code person_distinct_ids} table (no rewriting of history).
 *
 * <h2>Guard rails</h2>
 * Ids that SDKs and integrations send by mistake ({@link #isMergeable}: empty, {@code null},
 * {@code undefined}, {@code 0}, {@code anonymous}, …; the list follows PostHog's
 * {@code isDistinctIdIllegal}) never take part in a link. A pair where the anonymous side is already
 * linked to <em>another</em> user, or an alias of an id that is itself a user id, is refused: the
 * event keeps the user it names, the existing link stays, and the refusal is counted and logged.
 *
 * <h2>Keys</h2>
 * Resolution has to see every event that reads or writes a link in one stream task, so events are
 * repartitioned by {@link #identityKey}: the previous id of an alias, else the anonymous (device) id,
 * else the user id. Because a user id's own entry (its {@link #claim}, recorded when it identifies)
 * must be known where an alias names it, identify and alias events also send a claim keyed by the
 * user id.
 */
public final class IdentityRules {
    /** Refused whatever their case (PostHog's list plus {@code null}/{@code none}/{@code nan}/{@code 0}). */
    private static final Set<String> ILLEGAL_IDS = Set.of(
            "anonymous", "guest", "distinctid", "distinct_id", "id", "not_authenticated", "email", "undefined",
            "true", "false", "null", "none", "nan", "0", "-1", "[object object]", "\"\"", "''", "unknown", "user_id",
            "anon", "anonymous_id");

    private IdentityRules() {
    }

    /** Whether {@code id} may be linked to another id (not {@code null}, not blank, not a known placeholder). */
    public static boolean isMergeable(String id) {
        if (id == null) {
            return false;
        }
        String t = id.trim();
        return !t.isEmpty() && !ILLEGAL_IDS.contains(t.toLowerCase(Locale.ROOT));
    }

    /** The id an event is resolved (and sessionized) under; see the class comment. */
    public static String identityKey(Event event) {
        if (event.type() == EventType.ALIAS && isMergeable(event.previousId())) {
            return event.previousId();
        }
        if (isMergeable(event.anonymousId())) {
            return event.anonymousId();
        }
        if (isMergeable(event.userId())) {
            return event.userId();
        }
        return event.distinctId();
    }

    /**
     * The user id an identify or alias event claims as identified, when it is resolved under another key
     * (so the claim has to travel to the user id's own key).
     */
    public static Optional<String> claim(Event event) {
        if (event.type() != EventType.IDENTIFY && event.type() != EventType.ALIAS) {
            return Optional.empty();
        }
        String user = event.userId();
        if (!isMergeable(user) || user.equals(identityKey(event))) {
            return Optional.empty();
        }
        return Optional.of(user);
    }

    /** What resolving one event did. */
    public enum Outcome {
        /** Nothing to link: one id, or both ids already the same person. */
        NONE,
        /** The anonymous/previous id was linked to the user now. */
        LINKED,
        /** The pair was refused: one of its ids is a guard-rail value. */
        REFUSED_ILLEGAL_ID,
        /** The pair was refused: the anonymous/previous id already belongs to another identified person. */
        REFUSED_ALREADY_IDENTIFIED
    }

    /**
     * The person of an event and the link it makes, if any.
     *
     * @param personId the event's person at ingest
     * @param link     the new link to store and publish (present only with {@link Outcome#LINKED})
     * @param outcome  what happened
     */
    public record Resolution(String personId, Optional<PersonDistinctId> link, Outcome outcome) {
    }

    /**
     * Resolves {@code event} given the links known so far.
     *
     * @param links the identity store: distinct id (of the event's project) → its link, {@code null} when none
     */
    public static Resolution resolve(Event event, Function<String, IdentityLink> links) {
        String user = isMergeable(event.userId()) ? event.userId() : null;
        String other = event.type() == EventType.ALIAS ? event.previousId() : event.anonymousId();
        boolean pair = other != null && event.userId() != null && !other.equals(event.userId());
        if (user != null) {
            if (!pair) {
                return new Resolution(user, Optional.empty(), Outcome.NONE);
            }
            if (!isMergeable(other)) {
                return new Resolution(user, Optional.empty(), Outcome.REFUSED_ILLEGAL_ID);
            }
            IdentityLink existing = links.apply(other);
            if (existing == null) {
                return new Resolution(user, Optional.of(new PersonDistinctId(event.projectId(), other, user,
                        event.receivedAt(), event.eventId())), Outcome.LINKED);
            }
            return new Resolution(user, Optional.empty(),
                    existing.personId().equals(user) ? Outcome.NONE : Outcome.REFUSED_ALREADY_IDENTIFIED);
        }
        Outcome outcome = pair ? Outcome.REFUSED_ILLEGAL_ID : Outcome.NONE;
        if (isMergeable(other)) {
            IdentityLink existing = links.apply(other);
            return new Resolution(existing != null ? existing.personId() : other, Optional.empty(), outcome);
        }
        return new Resolution(event.distinctId(), Optional.empty(), outcome);
    }
}
