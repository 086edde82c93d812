package io.beacon.cdp.audience;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.destinations.DestinationDefinition;
import io.beacon.control.destinations.DestinationType;
import io.beacon.control.destinations.Subscription;
import io.beacon.event.RefusedException;
import io.beacon.event.cdp.IdempotencyKeys;
import io.beacon.event.cdp.MessageTypes;
import io.beacon.event.cdp.OutboxMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a full resync of one CRM destination sends, decided before any member is read: the destination must be an
 * enabled CRM destination with a list and at least one {@code segment_entered} subscription (the segments whose
 * members belong on the list). Pure; the message ids depend only on (destination, segment, person, resync id), so
 * a resync retried with the same resync id puts the same ids on the outbox and the receiver can drop duplicates.
 *
 * @param destination the destination as the connectors see it
 * @param resyncId    the caller's resync id, or a generated one
 * @param segments    the subscribed segments, in subscription order, without repeats
 */
public record ResyncPlan(DestinationDefinition destination, String resyncId, List<String> segments) {
    /** What a caller-chosen resync id may look like. */
    public static final Pattern RESYNC_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");

    public ResyncPlan {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(resyncId, "resyncId");
        segments = List.copyOf(segments);
    }

    /**
     * The plan for {@code d}, or a refusal naming the field: {@code type} (not a CRM destination), {@code crm.list}
     * (no list to keep in step), {@code subscriptions} (no segment subscription), {@code enabled} (disabled),
     * {@code resync_id} (malformed).
     */
    public static ResyncPlan of(DestinationDefinition d, String resyncId) {
        if (d.type() != DestinationType.CRM) {
            throw new RefusedException(RefusedException.Kind.INVALID, "NOT_A_CRM_DESTINATION", "destination '" + d.id()
                    + "' is of type " + d.type().wireName() + "; only a crm destination has an audience to resync", "type");
        }
        if (d.crm() == null || d.crm().list() == null) {
            throw new RefusedException(RefusedException.Kind.INVALID, "NO_AUDIENCE_LIST", "destination '" + d.id()
                    + "' has no crm.list; a resync keeps a list in step with its segments", "crm.list");
        }
        List<String> segments = new ArrayList<>();
        for (Subscription s : d.subscriptions()) {
            if (s instanceof Subscription.SegmentEntered e && !segments.contains(e.segment())) {
                segments.add(e.segment());
            }
        }
        if (segments.isEmpty()) {
            throw new RefusedException(RefusedException.Kind.INVALID, "NO_SEGMENT_SUBSCRIPTION", "destination '" + d.id()
                    + "' subscribes to no segment_entered trigger; nothing defines its audience", "subscriptions");
        }
        if (!d.enabled()) {
            throw new RefusedException(RefusedException.Kind.INVALID, "DESTINATION_DISABLED", "destination '" + d.id()
                    + "' is disabled" + (d.disabledReason() == null ? "" : " (" + d.disabledReason() + ")") + "; enable it first",
                    "enabled");
        }
        if (resyncId == null || !RESYNC_ID.matcher(resyncId).matches()) {
            throw new RefusedException(RefusedException.Kind.INVALID, "INVALID_RESYNC_ID",
                    "resync_id must match " + RESYNC_ID.pattern(), "resync_id");
        }
        return new ResyncPlan(d, resyncId, segments);
    }

    /** The idempotency key of {@code personId}'s resync message from {@code segmentId}. */
    public static String messageId(String destinationId, String projectId, String segmentId, String personId, String resyncId) {
        return IdempotencyKeys.of("audience-resync", destinationId, projectId, segmentId, personId, resyncId);
    }

    /** The {@code audience.resync} message of one member; {@code segmentName} may be null (a deleted segment). */
    public OutboxMessage message(String segmentId, String segmentName, String personId, long nowMs) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("person_id", personId);
        ObjectNode segment = data.putObject("segment");
        segment.put("id", segmentId);
        if (segmentName == null) {
            segment.putNull("name");
        } else {
            segment.put("name", segmentName);
        }
        data.put("resync_id", resyncId);
        String id = messageId(destination.id(), destination.projectId(), segmentId, personId, resyncId);
        return new OutboxMessage(destination.projectId(), destination.id(), personId, id, MessageTypes.AUDIENCE_RESYNC, nowMs, data);
    }
}
