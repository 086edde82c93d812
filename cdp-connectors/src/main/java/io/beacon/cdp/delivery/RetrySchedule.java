package io.beacon.cdp.delivery;

import io.beacon.cdp.CdpSettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * When each attempt of a message is due: {@code delays.get(n - 1)} before attempt {@code n} (Svix's schedule by
 * default), scaled by {@code timeScale} and moved by a jitter of up to {@code ±jitter}. The jitter is a hash of
 * (message id, attempt), not a random draw, so a worker that restarts and folds the retry topic computes the same
 * due time, and messages failing together still spread out.
 *
 * @param delays    delay before attempt 1, 2, …; its size is the number of attempts
 * @param jitter    fraction in [0, 1] each delay moves either way
 * @param timeScale factor applied to every delay (tests: 0.001)
 */
public record RetrySchedule(List<Duration> delays, double jitter, double timeScale) {

    public RetrySchedule {
        delays = List.copyOf(delays);
        if (delays.isEmpty() || delays.stream().anyMatch(Duration::isNegative)) {
            throw new IllegalArgumentException("a retry schedule holds at least one delay and no negative one");
        }
        if (!(jitter >= 0 && jitter <= 1) || !(timeScale > 0 && Double.isFinite(timeScale))) {
            throw new IllegalArgumentException("jitter is in [0, 1] and the time scale positive");
        }
    }

    /** The schedule of {@code beacon.cdp.retry.*}. */
    public RetrySchedule(CdpSettings settings) {
        this(settings.retrySchedule(), settings.retryJitter(), settings.retryTimeScale());
    }

    /** Attempts a message gets before it is exhausted. */
    public int maxAttempts() {
        return delays.size();
    }

    /**
     * The wait before {@code attempt} (1 = the first try) of message {@code messageId}, counted from the previous
     * attempt (or from when the message was read, for the first); empty when the schedule is exhausted.
     */
    public Optional<Duration> delayBefore(int attempt, String messageId) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1, was " + attempt);
        }
        if (attempt > delays.size()) {
            return Optional.empty();
        }
        double base = delays.get(attempt - 1).toNanos() * timeScale;
        double factor = 1 + jitter * (2 * unit(messageId, attempt) - 1);
        return Optional.of(Duration.ofNanos(Math.round(base * factor)));
    }

    /** {@code fromMs} plus {@link #delayBefore(int, String)} in ms; empty when exhausted. */
    public OptionalLong dueAtMs(int attempt, String messageId, long fromMs) {
        return delayBefore(attempt, messageId).map(d -> OptionalLong.of(fromMs + d.toMillis())).orElse(OptionalLong.empty());
    }

    // a stable fraction in [0, 1) of (message id, attempt): the first 53 bits of their SHA-256
    private static double unit(String messageId, int attempt) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] h = sha.digest((messageId + "#" + attempt).getBytes(StandardCharsets.UTF_8));
            long bits = 0;
            for (int i = 0; i < 8; i++) {
                bits = (bits << 8) | (h[i] & 0xff);
            }
            return (bits >>> 11) * 0x1.0p-53;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
