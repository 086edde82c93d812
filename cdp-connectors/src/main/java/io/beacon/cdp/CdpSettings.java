package io.beacon.cdp;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.beacon.event.TopicNames;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The connectors' settings, read once from the {@code beacon.cdp} and {@code beacon.kafka} sections (see
 * {@code reference.conf} in this module for what each key means and its default). One record so the delivery
 * core (retry schedule, circuit breaker, health) and the workers read the same values.
 *
 * @param retrySchedule          delay before attempt 1, 2, …; its size is the number of attempts
 * @param retryJitter            fraction each delay moves either way, in [0, 1]
 * @param retryTimeScale         factor applied to every schedule delay (tests: 0.001)
 * @param requestTimeout         longest a delivery request may take
 * @param circuitFailureThreshold consecutive failures that open a destination's circuit
 * @param circuitOpenFor         how long an opened circuit stays open before one probe
 * @param circuitMaxOpenFor      the cap of the open time, which doubles after each failed probe
 * @param disableAfter           failing without a success this long disables a destination
 * @param allowPrivateAddresses  whether URLs may resolve to loopback, private or link-local addresses (by default
 *                               the control plane's {@code beacon.destinations.allow-private-addresses})
 * @param partitions             partitions of the outbox and retry topics
 * @param maxPendingPerPartition waiting messages a worker keeps per partition before it pauses reading
 * @param alertDestination       id of the destination told about status changes; empty = none
 * @param bootstrapServers       Kafka {@code bootstrap.servers}
 * @param topicPrefix            prefix of every topic name
 */
public record CdpSettings(List<Duration> retrySchedule, double retryJitter, double retryTimeScale,
                          Duration requestTimeout, int circuitFailureThreshold, Duration circuitOpenFor,
                          Duration circuitMaxOpenFor, Duration disableAfter, boolean allowPrivateAddresses,
                          int partitions, int maxPendingPerPartition, String alertDestination,
                          String bootstrapServers, String topicPrefix) {

    public static final String RETRY_SCHEDULE = "beacon.cdp.retry.schedule";
    public static final String RETRY_JITTER = "beacon.cdp.retry.jitter";
    public static final String RETRY_TIME_SCALE = "beacon.cdp.retry.time-scale";
    public static final String REQUEST_TIMEOUT = "beacon.cdp.request-timeout";
    public static final String CIRCUIT_FAILURE_THRESHOLD = "beacon.cdp.circuit.failure-threshold";
    public static final String CIRCUIT_OPEN_FOR = "beacon.cdp.circuit.open-for";
    public static final String CIRCUIT_MAX_OPEN_FOR = "beacon.cdp.circuit.max-open-for";
    public static final String DISABLE_AFTER = "beacon.cdp.disable-after";
    public static final String ALLOW_PRIVATE_ADDRESSES = "beacon.cdp.allow-private-addresses";
    public static final String PARTITIONS = "beacon.cdp.partitions";
    public static final String MAX_PENDING_PER_PARTITION = "beacon.cdp.max-pending-per-partition";
    public static final String ALERT_DESTINATION = "beacon.cdp.alert-destination";
    public static final String KAFKA_BOOTSTRAP_SERVERS = "beacon.kafka.bootstrap-servers";
    public static final String KAFKA_TOPIC_PREFIX = "beacon.kafka.topic-prefix";

    public CdpSettings {
        retrySchedule = List.copyOf(retrySchedule);
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(circuitOpenFor, "circuitOpenFor");
        Objects.requireNonNull(circuitMaxOpenFor, "circuitMaxOpenFor");
        Objects.requireNonNull(disableAfter, "disableAfter");
        Objects.requireNonNull(alertDestination, "alertDestination");
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topicPrefix, "topicPrefix");
        require(!retrySchedule.isEmpty(), RETRY_SCHEDULE, "must list at least one delay");
        require(retrySchedule.stream().noneMatch(Duration::isNegative), RETRY_SCHEDULE, "must not hold a negative delay");
        require(retryJitter >= 0 && retryJitter <= 1, RETRY_JITTER, "must be a fraction from 0 to 1, was " + retryJitter);
        require(retryTimeScale > 0 && Double.isFinite(retryTimeScale), RETRY_TIME_SCALE,
                "must be a positive number, was " + retryTimeScale);
        require(positive(requestTimeout), REQUEST_TIMEOUT, "must be positive, was " + requestTimeout);
        require(circuitFailureThreshold >= 1, CIRCUIT_FAILURE_THRESHOLD, "must be at least 1, was " + circuitFailureThreshold);
        require(positive(circuitOpenFor), CIRCUIT_OPEN_FOR, "must be positive, was " + circuitOpenFor);
        require(circuitMaxOpenFor.compareTo(circuitOpenFor) >= 0, CIRCUIT_MAX_OPEN_FOR,
                "must be at least " + CIRCUIT_OPEN_FOR + " (" + circuitOpenFor + "), was " + circuitMaxOpenFor);
        require(positive(disableAfter), DISABLE_AFTER, "must be positive, was " + disableAfter);
        require(partitions >= 1, PARTITIONS, "must be at least 1, was " + partitions);
        require(maxPendingPerPartition >= 1, MAX_PENDING_PER_PARTITION, "must be at least 1, was " + maxPendingPerPartition);
        require(!bootstrapServers.isBlank(), KAFKA_BOOTSTRAP_SERVERS, "must not be empty");
    }

    /**
     * Reads the settings; {@code config} must include this module's {@code reference.conf} (as
     * {@code ConfigFactory.load()} does).
     *
     * @throws ConfigException when a value is missing, of the wrong type or out of range (the message names the key)
     */
    public static CdpSettings fromConfig(Config config) {
        try {
            return new CdpSettings(
                    config.getDurationList(RETRY_SCHEDULE),
                    config.getDouble(RETRY_JITTER),
                    config.getDouble(RETRY_TIME_SCALE),
                    config.getDuration(REQUEST_TIMEOUT),
                    config.getInt(CIRCUIT_FAILURE_THRESHOLD),
                    config.getDuration(CIRCUIT_OPEN_FOR),
                    config.getDuration(CIRCUIT_MAX_OPEN_FOR),
                    config.getDuration(DISABLE_AFTER),
                    config.getBoolean(ALLOW_PRIVATE_ADDRESSES),
                    config.getInt(PARTITIONS),
                    config.getInt(MAX_PENDING_PER_PARTITION),
                    config.getString(ALERT_DESTINATION).strip(),
                    config.getString(KAFKA_BOOTSTRAP_SERVERS),
                    config.getString(KAFKA_TOPIC_PREFIX));
        } catch (IllegalArgumentException e) {
            throw new ConfigException.Generic("invalid connectors settings: " + e.getMessage(), e);
        }
    }

    /** The settings of {@code reference.conf} (plus any {@code application.conf} and system properties). */
    public static CdpSettings load() {
        return fromConfig(ConfigFactory.load());
    }

    /** The topic names with {@link #topicPrefix()} applied. */
    public TopicNames topics() {
        return TopicNames.withPrefix(topicPrefix);
    }

    /** The destination told about status changes, if one is configured. */
    public Optional<String> alertDestinationId() {
        return alertDestination.isEmpty() ? Optional.empty() : Optional.of(alertDestination);
    }

    /** The same settings with another retry schedule, jitter and time scale (tests). */
    public CdpSettings withRetry(List<Duration> schedule, double jitter, double timeScale) {
        return new CdpSettings(schedule, jitter, timeScale, requestTimeout, circuitFailureThreshold, circuitOpenFor,
                circuitMaxOpenFor, disableAfter, allowPrivateAddresses, partitions, maxPendingPerPartition,
                alertDestination, bootstrapServers, topicPrefix);
    }

    /** The same settings with another circuit breaker and disable time (tests). */
    public CdpSettings withCircuit(int failureThreshold, Duration openFor, Duration maxOpenFor, Duration disableAfterTime) {
        return new CdpSettings(retrySchedule, retryJitter, retryTimeScale, requestTimeout, failureThreshold, openFor,
                maxOpenFor, disableAfterTime, allowPrivateAddresses, partitions, maxPendingPerPartition,
                alertDestination, bootstrapServers, topicPrefix);
    }

    /** The same settings with private addresses allowed or refused (the dev stack and tests allow them). */
    public CdpSettings withAllowPrivateAddresses(boolean allow) {
        return new CdpSettings(retrySchedule, retryJitter, retryTimeScale, requestTimeout, circuitFailureThreshold,
                circuitOpenFor, circuitMaxOpenFor, disableAfter, allow, partitions, maxPendingPerPartition,
                alertDestination, bootstrapServers, topicPrefix);
    }

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    private static void require(boolean ok, String key, String message) {
        if (!ok) {
            throw new IllegalArgumentException(key + " " + message);
        }
    }
}
