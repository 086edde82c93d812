package io.beacon.streams.time;

import io.beacon.event.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * The topology's timestamp rule, applied per device after the mapper's skew correction
 * ({@link io.beacon.event.EventTimes}: {@code receivedAt − (sentAt − clientTime)}).
 *
 * <p>The skew correction folds each request's network transit time into the event time. Two requests
 * of one device with different transit times get different corrections, so a later event can land
 * before an earlier one (PostHog issue #98250). This rule fixes that, bounded:
 * <ol>
 *   <li><b>Device order.</b> Compared with the device's previous event (the one processed just
 *       before, under the same identity key), if the corrected times order the two events opposite to
 *       the client's own clock readings, the event is placed at the previous event's time plus the
 *       interval the client measured ({@code prev.eventTime + (clientTime − prev.clientTime)}) — the
 *       client clock is consistent with itself even when it is wrong. The shift is applied only when it
 *       is at most {@code maxOrderCorrection}: a larger contradiction means the device clock itself was
 *       changed, and then the skew rule's answer stands. Events without a client time are left alone.
 *       The event gets the warning {@value #ORDER_BOUNDED}.</li>
 *   <li><b>Future.</b> An event time more than {@code maxFuture} (23 h: no time zone is further ahead)
 *       after the received time is set to the received time, warning {@value #FUTURE_CLAMPED}.</li>
 *   <li><b>Too old.</b> An event time more than {@code tooOldAfter} before the received time is kept
 *       but flagged {@value #TOO_OLD}, so analyses can exclude it.</li>
 * </ol>
 */
public final class TimestampRule {
    /** Warning: the event time was moved to keep the device's order. */
    public static final String ORDER_BOUNDED = "event_time_order_preserved";
    /** Warning: the event time was in the future and set to the received time. */
    public static final String FUTURE_CLAMPED = "event_time_future_clamped";
    /** Warning: the event time is older than the configured limit. */
    public static final String TOO_OLD = "event_time_too_old";

    private TimestampRule() {
    }

    /**
     * The client and corrected times of a device's last event with a client time.
     *
     * @param clientTime the client's clock reading
     * @param eventTime  the corrected time the topology gave it
     */
    public record DeviceClock(long clientTime, long eventTime) {
    }

    /**
     * The outcome for one event.
     *
     * @param event the event with its final time and any new warnings
     * @param clock the device clock to remember (the previous one when the event has no client time)
     */
    public record Result(Event event, DeviceClock clock) {
    }

    /** Applies the rule to {@code event} given the device's previous clock ({@code null} for its first event). */
    public static Result apply(Event event, DeviceClock previous, TimestampSettings settings) {
        long t = event.eventTime();
        List<String> warnings = new ArrayList<>();
        Long client = event.clientTime();
        if (previous != null && client != null) {
            long clientDelta = client - previous.clientTime();
            long correctedDelta = t - previous.eventTime();
            boolean contradicts = (clientDelta > 0 && correctedDelta < 0) || (clientDelta < 0 && correctedDelta > 0);
            if (contradicts) {
                long bounded = previous.eventTime() + clientDelta;
                if (Math.abs(bounded - t) <= settings.maxOrderCorrection().toMillis()) {
                    t = bounded;
                    warnings.add(ORDER_BOUNDED);
                }
            }
        }
        DeviceClock clock = client != null ? new DeviceClock(client, t) : previous;
        if (t > event.receivedAt() + settings.maxFuture().toMillis()) {
            t = event.receivedAt();
            warnings.add(FUTURE_CLAMPED);
        }
        if (t < event.receivedAt() - settings.tooOldAfter().toMillis()) {
            warnings.add(TOO_OLD);
        }
        if (warnings.isEmpty()) {
            return new Result(event, clock);
        }
        List<String> all = new ArrayList<>(event.warnings());
        all.addAll(warnings);
        return new Result(event.withEventTime(t).withWarnings(all), clock);
    }
}
