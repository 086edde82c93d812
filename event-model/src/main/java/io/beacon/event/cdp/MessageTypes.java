package io.beacon.event.cdp;

/** The {@link OutboxMessage#type()} values. */
public final class MessageTypes {
    /** A person entered a realtime segment. */
    public static final String SEGMENT_ENTERED = "segment.entered";
    /** A person left a realtime segment. */
    public static final String SEGMENT_EXITED = "segment.exited";
    /** An event matched a destination's event subscription (realtime forwarding). */
    public static final String EVENT_MATCHED = "event.matched";
    /** A person is to be deleted at the destination (the privacy hook; each adapter maps it to its delete call). */
    public static final String PERSON_DELETED = "person.deleted";
    /**
     * A current member of a segment sent again by a full resync of a CRM audience (CRM action {@code add_to_list});
     * its id is derived from the resync id, so a retried resync yields the same ids.
     */
    public static final String AUDIENCE_RESYNC = "audience.resync";
    /** "Send test message" from the API or console. */
    public static final String TEST_MESSAGE = "test.message";
    /**
     * A journey's send step (issue 19): {@code data} holds the person, the journey and version, the entry, the step, the
     * channel and the step's rendered template fields; its id is derived from
     * {@code journey/<id>/v<version>/<person>/<entry>/<step>}, so a replayed step yields the same id.
     */
    public static final String JOURNEY_SEND = "journey.send";

    private MessageTypes() {
    }
}
