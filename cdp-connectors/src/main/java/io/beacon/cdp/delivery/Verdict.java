package io.beacon.cdp.delivery;

import io.beacon.event.cdp.DeliveryAttempt;
import io.beacon.event.cdp.ErrorClass;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What one delivery attempt's answer means, decided by {@link ResponseClassifier}: closed, so the worker, the
 * circuit breaker and the health tracker all handle every case. {@link #status()} is the HTTP status, 0 when
 * there was no response (timeout, connection failure, blocked address).
 */
public sealed interface Verdict {

    int status();

    String reason();

    /**
     * Whether the attempt says the destination is failing (it counts towards its circuit breaker and its failure
     * run): retries, throttling, 410 and a blocked address do; a delivery and a message the receiver rejected
     * (4xx) do not, since a receiver that answers 400 is up and the message is at fault.
     */
    boolean destinationFailed();

    /** The outcome written to the delivery log, when the schedule still has an attempt for a retryable one. */
    DeliveryAttempt.Outcome outcome();

    /** 2xx: done. */
    record Delivered(int status) implements Verdict {
        @Override
        public String reason() {
            return "delivered (" + status + ")";
        }

        @Override
        public boolean destinationFailed() {
            return false;
        }

        @Override
        public DeliveryAttempt.Outcome outcome() {
            return DeliveryAttempt.Outcome.DELIVERED;
        }
    }

    /** A failure worth retrying on the schedule: 5xx, 408, 409, 425, timeouts, connection errors. */
    record Retry(int status, String reason) implements Verdict {
        public Retry {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public boolean destinationFailed() {
            return true;
        }

        @Override
        public DeliveryAttempt.Outcome outcome() {
            return DeliveryAttempt.Outcome.RETRY;
        }
    }

    /**
     * The receiver is overloaded (429, 502, 503, 504): retry, not before {@code retryAfter} when it said so, and
     * slow the destination down.
     */
    record Throttle(int status, Optional<Duration> retryAfter, String reason) implements Verdict {
        public Throttle {
            Objects.requireNonNull(retryAfter, "retryAfter");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public boolean destinationFailed() {
            return true;
        }

        @Override
        public DeliveryAttempt.Outcome outcome() {
            return DeliveryAttempt.Outcome.THROTTLED;
        }
    }

    /** 410: the receiver wants no more webhooks; the destination is disabled and its messages dead-lettered. */
    record Gone(int status, String reason) implements Verdict {
        public Gone {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public boolean destinationFailed() {
            return true;
        }

        @Override
        public DeliveryAttempt.Outcome outcome() {
            return DeliveryAttempt.Outcome.DEAD_LETTERED;
        }
    }

    /** Retrying will not help: the message goes to the DLQ with {@code errorClass}. */
    record Permanent(int status, ErrorClass errorClass, String reason) implements Verdict {
        public Permanent {
            Objects.requireNonNull(errorClass, "errorClass");
            Objects.requireNonNull(reason, "reason");
        }

        /** A blocked address is the destination's URL at fault, so every message fails alike. */
        @Override
        public boolean destinationFailed() {
            return errorClass == ErrorClass.BLOCKED_ADDRESS;
        }

        @Override
        public DeliveryAttempt.Outcome outcome() {
            return DeliveryAttempt.Outcome.DEAD_LETTERED;
        }
    }
}
