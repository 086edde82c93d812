/**
 * The privacy hook of the connectors: a {@code person.deleted} message to each enabled destination of the project
 * that can act on it, which each adapter turns into the destination's delete call.
 */
package io.beacon.cdp.privacy;
