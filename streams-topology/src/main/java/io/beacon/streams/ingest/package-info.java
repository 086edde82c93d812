/**
 * The first stage of the pipeline: turning one raw record from {@code beacon.events.raw} into either a
 * canonical {@link io.beacon.event.Event} or a {@link io.beacon.event.DeadLetter}.
 *
 * <p>{@link io.beacon.streams.ingest.RawRecordIngest} is a pure function over bytes and record
 * coordinates; it reuses {@link io.beacon.event.EventCodec} and {@link io.beacon.event.EventMapper} so
 * the topology and the gateway agree on what is valid by construction.
 */
package io.beacon.streams.ingest;
