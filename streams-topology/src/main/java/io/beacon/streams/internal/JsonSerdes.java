package io.beacon.streams.internal;

import io.beacon.control.discovery.DiscoveredItem;
import io.beacon.control.discovery.DiscoveryCodec;
import io.beacon.event.DeadLetter;
import io.beacon.event.DqFact;
import io.beacon.event.DqFactCodec;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Serdes over {@link EventCodec}, the one JSON wire format for our records. Null passes through as null. */
public final class JsonSerdes {
    private JsonSerdes() {
    }

    public static Serde<Event> event() {
        return Serdes.serdeFrom(
                (topic, event) -> event == null ? null : EventCodec.encode(event),
                (topic, bytes) -> bytes == null ? null : EventCodec.decodeEvent(bytes));
    }

    public static Serde<DeadLetter> deadLetter() {
        return Serdes.serdeFrom(
                (topic, letter) -> letter == null ? null : EventCodec.encode(letter),
                (topic, bytes) -> bytes == null ? null : EventCodec.decodeDeadLetter(bytes));
    }

    /** {@link DqFactCodec} JSON, the format of the data-quality facts topic. */
    public static Serde<DqFact> dqFact() {
        return Serdes.serdeFrom(
                (topic, fact) -> fact == null ? null : DqFactCodec.encode(fact),
                (topic, bytes) -> bytes == null ? null : DqFactCodec.decode(bytes));
    }

    /** Any record as {@link EventCodec} JSON (state store values, repartition records). */
    public static <T> Serde<T> json(Class<T> type) {
        return Serdes.serdeFrom(
                (topic, value) -> value == null ? null : EventCodec.encode(value),
                (topic, bytes) -> bytes == null ? null : EventCodec.decode(bytes, type));
    }

    /** {@link DiscoveryCodec} JSON, the format of the discovery topic and stores. */
    public static Serde<DiscoveredItem> discoveredItem() {
        return Serdes.serdeFrom(
                (topic, item) -> item == null ? null : DiscoveryCodec.encode(item),
                (topic, bytes) -> bytes == null ? null : DiscoveryCodec.decode(bytes));
    }
}
