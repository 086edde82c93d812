package io.beacon.cdp.send;

import io.beacon.control.destinations.DestinationDefinition;
import io.beacon.event.cdp.OutboxMessage;
import java.util.concurrent.CompletionStage;

/**
 * The port of one delivery attempt: sends {@code message} to {@code destination} and completes with what came back
 * (never exceptionally for a failure of the receiver: that is a {@link SendResult} with a failure). Must not block
 * the caller: the outbox worker calls it on its poll thread.
 */
public interface Sender {
    CompletionStage<SendResult> send(DestinationDefinition destination, OutboxMessage message, int attempt);
}
