package io.beacon.control.topicview;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Kafka clients of a view and the creation of its topic, from its settings. */
final class TopicClients {
    private static final Logger LOG = LoggerFactory.getLogger(TopicClients.class);

    private TopicClients() {
    }

    /** Creates the topic (one partition, compacted) unless it exists; see {@link TopicViewSettings.MissingTopic}. */
    static void ensureTopic(TopicViewSettings s) {
        Map<String, String> configs = new HashMap<>();
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        if (!s.minCompactionLag().isZero()) {
            configs.put(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, Long.toString(s.minCompactionLag().toMillis()));
        }
        NewTopic topic = new NewTopic(s.topic(), 1, s.replicationFactor()).configs(configs);
        try (Admin admin = Admin.create(base(s))) {
            admin.createTopics(List.of(topic)).all().get(s.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("created {} topic {}", s.name(), s.topic());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                missing(s, "cannot create " + s.name() + " topic " + s.topic() + ": " + e.getCause().getMessage(), e.getCause());
            }
        } catch (TimeoutException e) {
            missing(s, "cannot reach Kafka to create " + s.name() + " topic " + s.topic(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicViewUnavailableException("interrupted while creating " + s.name() + " topic " + s.topic(), e);
        }
    }

    private static void missing(TopicViewSettings s, String message, Throwable cause) {
        if (s.missingTopic() == TopicViewSettings.MissingTopic.FAIL) {
            throw new TopicViewUnavailableException(message, cause);
        }
        LOG.warn("{} ({}); reading it once it exists", message, cause.toString());
    }

    static KafkaConsumer<String, byte[]> consumer(TopicViewSettings s, String clientSuffix) {
        Properties p = base(s);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, s.isolation().name().toLowerCase(Locale.ROOT));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "beacon-" + s.name() + "-view-" + clientSuffix);
        return new KafkaConsumer<>(p);
    }

    /** An idempotent producer with {@code acks=all}. */
    static KafkaProducer<String, byte[]> producer(TopicViewSettings s, String clientSuffix) {
        Properties p = base(s);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, Long.toString(s.linger().toMillis()));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, s.compression());
        long timeout = Math.max(s.writeTimeout().toMillis(), 2_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(timeout * 2 + s.linger().toMillis()));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "beacon-" + s.name() + "-writer-" + clientSuffix);
        return new KafkaProducer<>(p);
    }

    private static Properties base(TopicViewSettings s) {
        Properties p = new Properties();
        p.putAll(s.kafkaProperties());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
        return p;
    }
}
