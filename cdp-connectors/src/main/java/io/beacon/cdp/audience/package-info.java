/**
 * Audience sync's full resync: the current members of a CRM destination's subscribed segments, read through the
 * {@link io.beacon.cdp.audience.AudienceMembers} port (the engine implements it), put on the outbox as one
 * {@code audience.resync} ({@code add_to_list}) message each, with ids derived from the resync id.
 */
package io.beacon.cdp.audience;
