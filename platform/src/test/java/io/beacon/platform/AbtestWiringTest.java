package io.beacon.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.abtest.Assignment;
import io.beacon.abtest.exposure.ExposureEvents;
import io.beacon.event.EventMapper;
import io.beacon.event.MappingResult;
import io.beacon.event.RawEnvelope;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The exposure sink keys entries exactly as the gateway would (EventMapper's partition key), without mapping. */
class AbtestWiringTest {

    private static ObjectNode unit(String user, String device) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (user != null) {
            o.put("user_id", user);
        }
        if (device != null) {
            o.put("device_id", device);
        }
        return o;
    }

    @Test
    void shouldKeyExposuresLikeTheEventMapper() {
        List<io.beacon.gateway.EventLog.Entry> appended = new ArrayList<>();
        var sink = AbtestWiring.exposureSink(entries -> {
            appended.addAll(entries);
            return CompletableFuture.completedFuture(null);
        });
        List<RawEnvelope> envs = new ArrayList<>();
        for (ObjectNode attributes : List.of(unit("alice", null), unit(null, "dev-1"), unit("bob", "dev-2"), unit(null, null))) {
            String hashed = attributes.has("user_id") ? attributes.get("user_id").asText()
                    : attributes.has("device_id") ? attributes.get("device_id").asText() : "company-7";
            Assignment a = new Assignment("exp", 1, "on", true, "user_id", hashed, 0.4, false, false, 0);
            envs.add(ExposureEvents.envelope("proj", a, attributes, 1_700_000_000_000L));
        }
        sink.append(envs).toCompletableFuture().join();
        assertEquals(4, appended.size());
        for (int i = 0; i < envs.size(); i++) {
            MappingResult mapped = EventMapper.map(envs.get(i));
            assertEquals(((MappingResult.Mapped) mapped).event().partitionKey(), appended.get(i).key(), "envelope " + i);
        }
        assertEquals(List.of("proj:alice", "proj:dev-1", "proj:bob", "proj:company-7"), appended.stream().map(e -> e.key()).toList());
    }
}
