package io.beacon.abtest;

import io.beacon.event.RawEnvelope;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Port: where exposure events go — into the normal ingestion path (the raw event topic), so they are
 * validated, deduplicated by event id and stored like any other event. The platform adapts the
 * gateway's event log to it ({@code AbtestWiring}); tests use an in-memory list.
 */
@FunctionalInterface
public interface ExposureSink {

    /**
     * Appends native-format envelopes; must not block the caller.
     *
     * @return completes when the log durably holds them; fails when it cannot take them now
     */
    CompletionStage<Void> append(List<RawEnvelope> envelopes);
}
