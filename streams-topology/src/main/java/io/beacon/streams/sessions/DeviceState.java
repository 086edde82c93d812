package io.beacon.streams.sessions;

import io.beacon.streams.time.TimestampRule;
import java.util.List;

/**
 * What the topology remembers per identity key ({@code project:device}): the latest event time seen
 * (the device's own watermark, which decides lateness), the clock of the timestamp rule, a version
 * counter for published summaries, when the device last sent something, and its recent sessions.
 *
 * @param watermark      latest event time processed for this device
 * @param clock          the timestamp rule's memory, {@code null} before the first event with a client time
 * @param version        the last version published for any session of this device
 * @param lastReceivedAt received time of the latest event (drives state expiry)
 * @param sessions       recent sessions, oldest first
 */
public record DeviceState(long watermark, TimestampRule.DeviceClock clock, long version, long lastReceivedAt,
                          List<SessionState> sessions) {
    public DeviceState {
        sessions = sessions == null ? List.of() : List.copyOf(sessions);
    }

    /** The state of a device never seen (or forgotten). */
    public static DeviceState empty() {
        return new DeviceState(Long.MIN_VALUE, null, 0, Long.MIN_VALUE, List.of());
    }

    public DeviceState withClock(TimestampRule.DeviceClock newClock) {
        return new DeviceState(watermark, newClock, version, lastReceivedAt, sessions);
    }
}
