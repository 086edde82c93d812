package io.beacon.dq;

import java.util.concurrent.CompletionStage;

/** Where alerts go: in a node, the gateway's event log as {@code $dq_alert} events of the project. */
@FunctionalInterface
public interface AlertSink {
    /** Completes when the alert is durably written. */
    CompletionStage<Void> raise(DqAlert alert);
}
