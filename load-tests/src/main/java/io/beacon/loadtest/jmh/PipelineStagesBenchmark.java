package io.beacon.loadtest.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import io.beacon.control.discovery.DiscoveredItem;
import io.beacon.control.discovery.DiscoveryCodec;
import io.beacon.event.Event;
import io.beacon.event.EventCodec;
import io.beacon.event.EventMapper;
import io.beacon.event.IncomingRequest;
import io.beacon.event.MappingResult;
import io.beacon.event.RawEnvelope;
import io.beacon.loadtest.load.SegmentBatches;
import io.beacon.loadtest.sim.BehaviourSimulator;
import io.beacon.loadtest.sim.SimEvent;
import io.beacon.loadtest.sim.SimulatorSettings;
import io.beacon.streams.internal.CompactCodec;
import io.beacon.streams.internal.IdentityInput;
import io.beacon.warehouse.sink.EventRows;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * CPU cost of each stage's per-event work, without I/O, on a mix of 100 simulator events (page views,
 * screens, funnel events, identifies; web and mobile contexts):
 * <ul>
 *   <li>{@link #gatewayBatchOf100}: what the gateway does with one {@code /v1/batch} body of 100
 *       events before Kafka — parse, split, prepare (map to validate) and encode each envelope;</li>
 *   <li>{@link #topologyRecord}: what the topology does per raw record before dedup — decode the
 *       envelope, {@link EventMapper#map}, encode the canonical event;</li>
 *   <li>{@link #eventMapperMap}: the mapping alone;</li>
 *   <li>{@link #sinkRecord}: what the sink does per valid record — decode the event, {@link EventRows#toJson};</li>
 *   <li>{@link #eventRowsToJson}: the row mapping alone;</li>
 *   <li>{@link #identityRepartitionJson} / {@link #identityRepartitionCompact}: the topology's identity
 *       repartition value (an event) encoded and decoded once, as JSON (before) and in the compact format
 *       (now) — measurement code reaching into streams-topology's internal codec on purpose;</li>
 *   <li>{@link #discoveryPendingJson} / {@link #discoveryPendingCompact}: the same for a discovery
 *       pending-store value (a property with two observed types).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PipelineStagesBenchmark {
    private static final int N = 100;

    private byte[] batchBody;
    private final List<byte[]> rawRecords = new ArrayList<>();
    private final List<RawEnvelope> envelopes = new ArrayList<>();
    private final List<byte[]> validRecords = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();
    private final DiscoveredItem discovered = DiscoveredItem.property("proj", "coupon", "number", 1_764_000_000_000L)
            .merge(DiscoveredItem.property("proj", "coupon", "string", 1_764_000_000_500L));
    private int next;
    private long now;

    @Setup
    public void setUp() throws IOException {
        List<String> items = new BehaviourSimulator(SimulatorSettings.of(9, 50)).events().limit(N).map(SimEvent::json).toList();
        batchBody = SegmentBatches.body(items);
        now = System.currentTimeMillis();
        JsonNode tree = EventCodec.mapper().readTree(batchBody);
        List<JsonNode> split = ((IncomingRequest.Split.Items) IncomingRequest.split(tree, null)).items();
        for (int i = 0; i < split.size(); i++) {
            IncomingRequest.Prepared p = IncomingRequest.prepare(i, split.get(i), "proj", now, "127.0.0.1", "jmh");
            envelopes.add(p.envelope());
            rawRecords.add(EventCodec.encode(p.envelope()));
            events.add(p.event());
            validRecords.add(EventCodec.encode(p.event()));
        }
    }

    private int index() {
        int i = next;
        next = (next + 1) % N;
        return i;
    }

    @Benchmark
    public int gatewayBatchOf100() throws IOException {
        JsonNode tree = EventCodec.mapper().readTree(batchBody);
        IncomingRequest.Split split = IncomingRequest.split(tree, null);
        int bytes = 0;
        int i = 0;
        for (JsonNode item : ((IncomingRequest.Split.Items) split).items()) {
            IncomingRequest.Prepared p = IncomingRequest.prepare(i++, item, "proj", now, "127.0.0.1", "jmh");
            if (p.accepted()) {
                bytes += EventCodec.encode(p.envelope()).length;
            }
        }
        return bytes;
    }

    @Benchmark
    public byte[] topologyRecord() {
        RawEnvelope envelope = EventCodec.decodeEnvelope(rawRecords.get(index()));
        MappingResult result = EventMapper.map(envelope);
        return EventCodec.encode(((MappingResult.Mapped) result).event());
    }

    @Benchmark
    public MappingResult eventMapperMap() {
        return EventMapper.map(envelopes.get(index()));
    }

    @Benchmark
    public String sinkRecord() {
        return EventRows.toJson(EventCodec.decodeEvent(validRecords.get(index())), now);
    }

    @Benchmark
    public String eventRowsToJson() {
        return EventRows.toJson(events.get(index()), now);
    }

    @Benchmark
    public IdentityInput identityRepartitionJson() {
        byte[] bytes = EventCodec.encode(IdentityInput.of(events.get(index())));
        return EventCodec.decode(bytes, IdentityInput.class);
    }

    @Benchmark
    public IdentityInput identityRepartitionCompact() {
        byte[] bytes = CompactCodec.encodeIdentityInput(IdentityInput.of(events.get(index())));
        return CompactCodec.decodeIdentityInput(bytes);
    }

    @Benchmark
    public DiscoveredItem discoveryPendingJson() {
        return DiscoveryCodec.decode(DiscoveryCodec.encode(discovered));
    }

    @Benchmark
    public DiscoveredItem discoveryPendingCompact() {
        return CompactCodec.decodeDiscoveredItem(CompactCodec.encodeDiscoveredItem(discovered));
    }
}
