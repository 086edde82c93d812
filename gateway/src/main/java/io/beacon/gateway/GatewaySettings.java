package io.beacon.gateway;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValueType;
import io.beacon.event.TopicNames;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The gateway's settings, read once from the {@code beacon.gateway} and {@code beacon.kafka}
 * sections (see {@code reference.conf} in this module for what each key means and its default).
 *
 * @param maxEventBytes     largest accepted event (one serialized item), bytes
 * @param maxRequestBytes   largest accepted request body after decompression, bytes
 * @param trustForwardedFor whether the client IP is the first hop of {@code X-Forwarded-For}
 * @param appendTimeout     how long a request waits for Kafka before answering 503
 * @param retryAfter        the {@code Retry-After} sent with 503 answers
 * @param kafka             the producer settings
 * @param posthog           the PostHog capture endpoints' settings
 */
public record GatewaySettings(
        long maxEventBytes,
        long maxRequestBytes,
        boolean trustForwardedFor,
        Duration appendTimeout,
        Duration retryAfter,
        Kafka kafka,
        PostHog posthog) {

    /** {@code beacon.gateway.max-event-size}: largest single event (serialized item); default 32 KiB. */
    public static final String MAX_EVENT_SIZE = "beacon.gateway.max-event-size";
    /** {@code beacon.gateway.max-request-size}: largest request body, decompressed; default 500 KiB. */
    public static final String MAX_REQUEST_SIZE = "beacon.gateway.max-request-size";
    /** {@code beacon.gateway.trust-forwarded-for}: take the client IP from X-Forwarded-For; default off. */
    public static final String TRUST_FORWARDED_FOR = "beacon.gateway.trust-forwarded-for";
    /** {@code beacon.gateway.append-timeout}: wait for Kafka before answering 503; default 8 s. */
    public static final String APPEND_TIMEOUT = "beacon.gateway.append-timeout";
    /** {@code beacon.gateway.retry-after}: Retry-After of 503 answers; default 10 s. */
    public static final String RETRY_AFTER = "beacon.gateway.retry-after";
    /** {@code beacon.kafka.bootstrap-servers}: Kafka bootstrap servers; default 127.0.0.1:9092. */
    public static final String KAFKA_BOOTSTRAP_SERVERS = "beacon.kafka.bootstrap-servers";
    /** {@code beacon.kafka.topic-prefix}: prefix of every topic name; default empty. */
    public static final String KAFKA_TOPIC_PREFIX = "beacon.kafka.topic-prefix";
    /** {@code beacon.gateway.kafka.linger}: producer linger.ms; default 5 ms. */
    public static final String PRODUCER_LINGER = "beacon.gateway.kafka.linger";
    /** {@code beacon.gateway.kafka.compression}: producer compression.type; default lz4. */
    public static final String PRODUCER_COMPRESSION = "beacon.gateway.kafka.compression";
    /** {@code beacon.gateway.kafka.max-block}: producer max.block.ms; default 2 s. */
    public static final String PRODUCER_MAX_BLOCK = "beacon.gateway.kafka.max-block";
    /** {@code beacon.gateway.kafka.request-timeout}: producer request.timeout.ms; default 2 s. */
    public static final String PRODUCER_REQUEST_TIMEOUT = "beacon.gateway.kafka.request-timeout";
    /** {@code beacon.gateway.kafka.delivery-timeout}: producer delivery.timeout.ms; default 5 s. */
    public static final String PRODUCER_DELIVERY_TIMEOUT = "beacon.gateway.kafka.delivery-timeout";
    /** {@code beacon.gateway.kafka.send-threads}: threads calling send(); default 1. */
    public static final String PRODUCER_SEND_THREADS = "beacon.gateway.kafka.send-threads";
    /** {@code beacon.gateway.kafka.send-queue-size}: sends waiting for a send thread; default 10000. */
    public static final String PRODUCER_SEND_QUEUE_SIZE = "beacon.gateway.kafka.send-queue-size";
    /** {@code beacon.gateway.kafka.properties}: extra producer properties, passed as they are; default none. */
    public static final String PRODUCER_PROPERTIES = "beacon.gateway.kafka.properties";
    /**
     * {@code beacon.gateway.posthog.allowed-origins}: browser origins allowed to call the PostHog
     * endpoints (CORS); {@code "*"} allows any; the server's own origin is always allowed; default any.
     */
    public static final String POSTHOG_ALLOWED_ORIGINS = "beacon.gateway.posthog.allowed-origins";

    /**
     * The PostHog capture protocol ({@code /e}, {@code /i/v0/e}, {@code /capture}, {@code /track},
     * {@code /batch}, {@code /decide}, {@code /flags}).
     *
     * @param allowedOrigins origins (e.g. {@code https://shop.example}) whose pages may send events
     *                       from the browser; {@code "*"} allows every origin
     */
    public record PostHog(List<String> allowedOrigins) {
        public PostHog {
            allowedOrigins = List.copyOf(allowedOrigins);
        }

        /** Any origin may call: the default, as for PostHog's own cloud endpoints. */
        public static PostHog anyOrigin() {
            return new PostHog(List.of("*"));
        }
    }

    /**
     * The Kafka side.
     *
     * @param bootstrapServers {@code bootstrap.servers}
     * @param topicPrefix      prefix of every topic name
     * @param linger           {@code linger.ms}
     * @param compression      {@code compression.type}
     * @param maxBlock         {@code max.block.ms}
     * @param requestTimeout   {@code request.timeout.ms}
     * @param deliveryTimeout  {@code delivery.timeout.ms}
     * @param sendThreads      threads calling {@code send()}
     * @param sendQueueSize    sends that may wait for a send thread
     * @param properties       extra producer properties
     */
    public record Kafka(
            String bootstrapServers,
            String topicPrefix,
            Duration linger,
            String compression,
            Duration maxBlock,
            Duration requestTimeout,
            Duration deliveryTimeout,
            int sendThreads,
            int sendQueueSize,
            Map<String, String> properties) {

        public Kafka {
            Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            Objects.requireNonNull(topicPrefix, "topicPrefix");
            Objects.requireNonNull(compression, "compression");
            properties = Map.copyOf(properties);
            if (deliveryTimeout.compareTo(linger.plus(requestTimeout)) < 0) {
                throw new IllegalArgumentException(PRODUCER_DELIVERY_TIMEOUT + " (" + deliveryTimeout
                        + ") must be at least " + PRODUCER_LINGER + " + " + PRODUCER_REQUEST_TIMEOUT);
            }
            if (sendThreads < 1 || sendQueueSize < 1) {
                throw new IllegalArgumentException(PRODUCER_SEND_THREADS + " and " + PRODUCER_SEND_QUEUE_SIZE + " must be positive");
            }
        }

        /** The topic names with {@link #topicPrefix()} applied. */
        public TopicNames topics() {
            return TopicNames.withPrefix(topicPrefix);
        }

        public Kafka withBootstrapServers(String servers) {
            return new Kafka(servers, topicPrefix, linger, compression, maxBlock, requestTimeout, deliveryTimeout,
                    sendThreads, sendQueueSize, properties);
        }

        public Kafka withTopicPrefix(String prefix) {
            return new Kafka(bootstrapServers, prefix, linger, compression, maxBlock, requestTimeout, deliveryTimeout,
                    sendThreads, sendQueueSize, properties);
        }
    }

    public GatewaySettings {
        Objects.requireNonNull(appendTimeout, "appendTimeout");
        Objects.requireNonNull(retryAfter, "retryAfter");
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(posthog, "posthog");
        if (maxEventBytes <= 0 || maxRequestBytes <= 0) {
            throw new IllegalArgumentException(MAX_EVENT_SIZE + " and " + MAX_REQUEST_SIZE + " must be positive");
        }
        if (appendTimeout.isNegative() || appendTimeout.isZero()) {
            throw new IllegalArgumentException(APPEND_TIMEOUT + " must be positive");
        }
    }

    /** Reads the settings; {@code config} must include this module's {@code reference.conf} (as {@code ConfigFactory.load()} does). */
    public static GatewaySettings fromConfig(Config config) {
        try {
            Kafka kafka = new Kafka(
                    config.getString(KAFKA_BOOTSTRAP_SERVERS),
                    config.getString(KAFKA_TOPIC_PREFIX),
                    config.getDuration(PRODUCER_LINGER),
                    config.getString(PRODUCER_COMPRESSION),
                    config.getDuration(PRODUCER_MAX_BLOCK),
                    config.getDuration(PRODUCER_REQUEST_TIMEOUT),
                    config.getDuration(PRODUCER_DELIVERY_TIMEOUT),
                    config.getInt(PRODUCER_SEND_THREADS),
                    config.getInt(PRODUCER_SEND_QUEUE_SIZE),
                    flatten(config.getConfig(PRODUCER_PROPERTIES)));
            return new GatewaySettings(
                    config.getBytes(MAX_EVENT_SIZE),
                    config.getBytes(MAX_REQUEST_SIZE),
                    config.getBoolean(TRUST_FORWARDED_FOR),
                    config.getDuration(APPEND_TIMEOUT),
                    config.getDuration(RETRY_AFTER),
                    kafka,
                    new PostHog(stringList(config, POSTHOG_ALLOWED_ORIGINS)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException.Generic("invalid gateway settings: " + e.getMessage(), e);
        }
    }

    /** The settings of {@code reference.conf} (plus any {@code application.conf} and system properties). */
    public static GatewaySettings load() {
        return fromConfig(ConfigFactory.load());
    }

    public GatewaySettings withMaxEventBytes(long bytes) {
        return new GatewaySettings(bytes, maxRequestBytes, trustForwardedFor, appendTimeout, retryAfter, kafka, posthog);
    }

    public GatewaySettings withMaxRequestBytes(long bytes) {
        return new GatewaySettings(maxEventBytes, bytes, trustForwardedFor, appendTimeout, retryAfter, kafka, posthog);
    }

    public GatewaySettings withTrustForwardedFor(boolean trust) {
        return new GatewaySettings(maxEventBytes, maxRequestBytes, trust, appendTimeout, retryAfter, kafka, posthog);
    }

    public GatewaySettings withAppendTimeout(Duration timeout) {
        return new GatewaySettings(maxEventBytes, maxRequestBytes, trustForwardedFor, timeout, retryAfter, kafka, posthog);
    }

    public GatewaySettings withKafka(Kafka kafkaSettings) {
        return new GatewaySettings(maxEventBytes, maxRequestBytes, trustForwardedFor, appendTimeout, retryAfter, kafkaSettings, posthog);
    }

    public GatewaySettings withPostHog(PostHog posthogSettings) {
        return new GatewaySettings(maxEventBytes, maxRequestBytes, trustForwardedFor, appendTimeout, retryAfter, kafka, posthogSettings);
    }

    /** Whole seconds for the {@code Retry-After} header, at least 1. */
    public long retryAfterSeconds() {
        long seconds = (retryAfter.toMillis() + 999) / 1000;
        return Math.max(1, seconds);
    }

    /** A list setting, also given as one comma-separated string (as an environment variable is). */
    private static List<String> stringList(Config config, String path) {
        if (config.getValue(path).valueType() == ConfigValueType.LIST) {
            return config.getStringList(path).stream().map(String::trim).filter(v -> !v.isEmpty()).toList();
        }
        return Arrays.stream(config.getString(path).split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    private static Map<String, String> flatten(Config section) {
        Map<String, String> out = new LinkedHashMap<>();
        section.entrySet().forEach(e -> out.put(String.join(".", ConfigUtil.splitPath(e.getKey())), String.valueOf(e.getValue().unwrapped())));
        return out;
    }
}
