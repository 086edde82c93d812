package io.beacon.engine.journeys;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One user's pass through one version of a journey: where it stands and when it must be looked at again.
 *
 * @param journeyId       the journey
 * @param journeyVersion  the published version it runs on (&ge; 1); it stays there unless a step mapping moves it
 * @param entry           the user's entry number into this journey (1, 2, …)
 * @param stepId          the current step (for an ended run, the step it ended at)
 * @param enteredAtMs     when the run started (engine clock, epoch ms)
 * @param stepEnteredAtMs when the run arrived at {@code stepId}; a delay or wait is measured from it
 * @param wakeAtMs        when a timer must look at the run again, {@link Long#MAX_VALUE} for never
 * @param status          active or how it ended
 * @param exitReason      why it exited ({@code exit_criteria}, {@code archived}, {@code error}); {@code null} otherwise
 * @param seq             the {@code seq} of the run's next journey event (its events so far)
 * @param converted       whether the goal was recorded for this run
 * @param endedAtMs       when it ended, {@link Long#MIN_VALUE} while active
 */
public record JourneyRun(String journeyId, int journeyVersion, long entry, String stepId, long enteredAtMs,
                         long stepEnteredAtMs, long wakeAtMs, Status status, String exitReason, long seq,
                         boolean converted, long endedAtMs) {

    /** Where a run is in its life. */
    public enum Status {
        ACTIVE, COMPLETED, EXITED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The status spelled {@code text}; empty for anything else. */
        public static Optional<Status> fromWire(String text) {
            for (Status s : values()) {
                if (s.wireName().equals(text)) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }
    }

    public JourneyRun {
        Objects.requireNonNull(journeyId, "journeyId");
        Objects.requireNonNull(stepId, "stepId");
        Objects.requireNonNull(status, "status");
        if (journeyVersion < 1) {
            throw new IllegalArgumentException("journeyVersion must be at least 1: " + journeyVersion);
        }
        if (entry < 1) {
            throw new IllegalArgumentException("entry must be at least 1: " + entry);
        }
        if (seq < 0) {
            throw new IllegalArgumentException("seq must not be negative: " + seq);
        }
    }

    /** A run that starts now at {@code stepId}; its next event has seq 0 (the {@code entered} event). */
    public static JourneyRun start(String journeyId, int journeyVersion, long entry, String stepId, long nowMs) {
        return new JourneyRun(journeyId, journeyVersion, entry, stepId, nowMs, nowMs, Long.MAX_VALUE, Status.ACTIVE, null,
                0, false, Long.MIN_VALUE);
    }

    public boolean active() {
        return status == Status.ACTIVE;
    }

    /** This run arrived at {@code newStepId} at {@code nowMs}. */
    public JourneyRun atStep(String newStepId, long nowMs) {
        return new JourneyRun(journeyId, journeyVersion, entry, newStepId, enteredAtMs, nowMs, wakeAtMs, status, exitReason,
                seq, converted, endedAtMs);
    }

    /** This run on another version and step, keeping when it arrived at its step. */
    public JourneyRun movedTo(int newVersion, String newStepId) {
        return new JourneyRun(journeyId, newVersion, entry, newStepId, enteredAtMs, stepEnteredAtMs, wakeAtMs, status,
                exitReason, seq, converted, endedAtMs);
    }

    public JourneyRun withWakeAtMs(long newWakeAtMs) {
        return new JourneyRun(journeyId, journeyVersion, entry, stepId, enteredAtMs, stepEnteredAtMs, newWakeAtMs, status,
                exitReason, seq, converted, endedAtMs);
    }

    /** This run with one more event recorded (its seq advanced). */
    public JourneyRun nextSeq() {
        return new JourneyRun(journeyId, journeyVersion, entry, stepId, enteredAtMs, stepEnteredAtMs, wakeAtMs, status,
                exitReason, seq + 1, converted, endedAtMs);
    }

    public JourneyRun asConverted() {
        return new JourneyRun(journeyId, journeyVersion, entry, stepId, enteredAtMs, stepEnteredAtMs, wakeAtMs, status,
                exitReason, seq, true, endedAtMs);
    }

    /** This run ended at {@code nowMs} with {@code newStatus} ({@code reason} for an exit, else {@code null}). */
    public JourneyRun ended(Status newStatus, String reason, long nowMs) {
        if (newStatus == Status.ACTIVE) {
            throw new IllegalArgumentException("an ended run is not active");
        }
        return new JourneyRun(journeyId, journeyVersion, entry, stepId, enteredAtMs, stepEnteredAtMs, Long.MAX_VALUE,
                newStatus, reason, seq, converted, nowMs);
    }
}
