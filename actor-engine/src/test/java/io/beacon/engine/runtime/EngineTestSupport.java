package io.beacon.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.beacon.control.project.ProjectDirectory;
import io.beacon.control.store.InMemoryConfigStore;
import io.beacon.devstack.TestStack;
import io.beacon.engine.api.EngineRoutes;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import io.beacon.event.EventType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;

/** Fixtures shared by the engine's integration tests: events, configs, an HTTP server, polling. */
public final class EngineTestSupport {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String SECRET = "sk_engine_test_secret";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private EngineTestSupport() {
    }

    /** A canonical event of {@code beacon.events.valid} (person id set, as the topology writes it). */
    public static Event event(String project, String person, String name, long timeMs, String eventId,
                              Map<String, Object> properties) {
        return new Event(eventId, project, EventType.TRACK, name, person, null, "s-" + person, timeMs, timeMs,
                null, null, "web", null, null, null, null, null, null, null, null, null, null, null, null, null,
                "test", "1", null, null, properties, Map.of(), List.of(), person);
    }

    /**
     * The record of event {@code name} at {@code timeMs} for entity {@code userKey} ({@code project:person}) at Kafka
     * {@code offset}, as the consumer hands it to the entity (event id {@code e-<offset>-<name>}).
     */
    public static UserEntity.Rec rec(String userKey, String name, long timeMs, long offset) {
        int colon = userKey.indexOf(':');
        Event e = event(userKey.substring(0, colon), userKey.substring(colon + 1), name, timeMs, "e-" + offset + "-" + name,
                java.util.Map.of());
        return new UserEntity.Rec(io.beacon.event.EventCodec.encode(e), offset);
    }

    /** A store directory with {@code partition}'s store open and published, as after an assignment. */
    public static PartitionStores openStore(Path dir, int partition) {
        PartitionStores stores = new PartitionStores(dir);
        stores.publish(partition, stores.openUnpublished(partition));
        return stores;
    }

    public static Config config(TestStack stack, String prefix, Path stateDir, String nodeId, String groupId,
                                List<String> seeds) {
        Map<String, Object> m = new HashMap<>();
        m.put("beacon.kafka.bootstrap-servers", stack.bootstrapServers());
        m.put("beacon.kafka.topic-prefix", prefix);
        m.put("beacon.engine.state-dir", stateDir.toString());
        m.put("beacon.engine.node-id", nodeId);
        m.put("beacon.engine.group-id", groupId);
        m.put("beacon.engine.cluster.port", 0);
        m.put("beacon.engine.cluster.seed-nodes", seeds);
        m.put("beacon.engine.max-poll-records", 1000);
        return ConfigFactory.parseMap(m).withFallback(ConfigFactory.load());
    }

    public static KafkaProducer<String, byte[]> producer(TestStack stack) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    public static void produce(KafkaProducer<String, byte[]> producer, String topic, List<Event> events) {
        for (Event e : events) {
            producer.send(new ProducerRecord<>(topic, e.personKey(), EventCodec.encode(e)));
        }
        producer.flush();
    }

    /** The project directory of the API: one project {@code project} with secret key {@link #SECRET}. */
    public static ProjectDirectory projects(String project) {
        InMemoryConfigStore store = new InMemoryConfigStore();
        store.start();
        ProjectDirectory projects = new ProjectDirectory(store);
        projects.bootstrapProject(project, project, "wk_engine_test_" + project, SECRET);
        return projects;
    }

    /** Serves {@code routes} on 127.0.0.1 (any port) with the engine's actor system; returns the base URL. */
    public static String serve(Engine engine, EngineRoutes routes) throws Exception {
        ServerBinding b = Http.get(engine.system()).newServerAt("127.0.0.1", 0).bind(routes.routes())
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        return "http://127.0.0.1:" + b.localAddress().getPort();
    }

    public record Reply(int status, JsonNode body) {
    }

    public static Reply get(String url) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + SECRET).GET().build();
        HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        JsonNode body = r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
        return new Reply(r.statusCode(), body);
    }

    /** GET until the status is {@code wanted} (the partition may be restoring), failing at the deadline. */
    public static Reply getUntil(String url, int wanted, Duration deadline) throws Exception {
        long end = System.nanoTime() + deadline.toNanos();
        Reply last = null;
        while (System.nanoTime() < end) {
            last = get(url);
            if (last.status() == wanted) {
                return last;
            }
            Thread.sleep(100); // poll interval
        }
        throw new AssertionError("GET " + url + " did not answer " + wanted + " within " + deadline + "; last: "
                + (last == null ? "none" : last.status() + " " + last.body()));
    }

    public static void await(String what, Duration deadline, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + deadline + ": " + what);
            }
            Thread.sleep(100); // poll interval
        }
    }

    /** Whether the group's committed offsets reached the end of every partition of {@code topic}. */
    public static boolean caughtUp(Admin admin, String group, String topic, int partitions) {
        try {
            Map<TopicPartition, OffsetSpec> req = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                req.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> ends = admin.listOffsets(req).all().get(10, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                long done = c == null ? 0 : c.offset();
                if (done < e.getValue()) {
                    return false;
                }
            }
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** The sum of the group's committed offsets on {@code topic}. */
    public static long committedTotal(Admin admin, String group, String topic) {
        try {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                    .entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                    .mapToLong(e -> e.getValue().offset()).sum();
        } catch (Exception e) {
            return 0;
        }
    }

    public static Set<Integer> all(int partitions) {
        Set<Integer> s = new java.util.TreeSet<>();
        for (int p = 0; p < partitions; p++) {
            s.add(p);
        }
        return s;
    }
}
