package io.beacon.streams.internal;

import io.beacon.control.discovery.DiscoveredItem;
import io.beacon.streams.identity.IdentityLink;
import io.beacon.streams.sessions.DeviceState;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Serdes over {@link CompactCodec} for the topology's internal records; each also reads the JSON that
 * earlier versions wrote there. Null passes through as null.
 */
public final class CompactSerdes {
    private CompactSerdes() {
    }

    /** The identity repartition topic's values. */
    public static Serde<IdentityInput> identityInput() {
        return Serdes.serdeFrom(
                (topic, input) -> input == null ? null : CompactCodec.encodeIdentityInput(input),
                (topic, bytes) -> bytes == null ? null : CompactCodec.decodeIdentityInput(bytes));
    }

    /** The discovery pending store's values. */
    public static Serde<DiscoveredItem> discoveredItem() {
        return Serdes.serdeFrom(
                (topic, item) -> item == null ? null : CompactCodec.encodeDiscoveredItem(item),
                (topic, bytes) -> bytes == null ? null : CompactCodec.decodeDiscoveredItem(bytes));
    }

    /** The identity store's values. */
    public static Serde<IdentityLink> identityLink() {
        return Serdes.serdeFrom(
                (topic, link) -> link == null ? null : CompactCodec.encodeIdentityLink(link),
                (topic, bytes) -> bytes == null ? null : CompactCodec.decodeIdentityLink(bytes));
    }

    /** The device (session) store's values. */
    public static Serde<DeviceState> deviceState() {
        return Serdes.serdeFrom(
                (topic, state) -> state == null ? null : CompactCodec.encodeDeviceState(state),
                (topic, bytes) -> bytes == null ? null : CompactCodec.decodeDeviceState(bytes));
    }
}
