package io.beacon.loadtest.demo;

import io.beacon.loadtest.load.Batch;
import io.beacon.loadtest.load.BatchSource;
import io.beacon.loadtest.load.LoadGenerator;
import io.beacon.loadtest.load.LoadReport;
import io.beacon.loadtest.load.LoadSettings;
import io.beacon.loadtest.load.SegmentBatches;
import io.beacon.loadtest.sim.BehaviourSimulator;
import io.beacon.loadtest.sim.SimEvent;
import io.beacon.loadtest.sim.SimulatorSettings;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills a running Beacon with demo data ({@code ./beacon up --demo}): a few days of simulated history
 * (the {@link BehaviourSimulator}'s users, sessions, shop funnel, logins, purchases and churners, with
 * their original timestamps up to now), then a live trickle of new events stamped with the current time.
 * Everything goes through the gateway's Segment batch API, loopback only.
 */
public final class DemoFeeder {
    private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\":\"[^\"]*\"");

    private final URI gateway;
    private final String writeKey;
    private final Clock clock;

    public DemoFeeder(URI gateway, String writeKey, Clock clock) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.writeKey = Objects.requireNonNull(writeKey, "writeKey");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The history: {@code users} simulated people from midnight UTC {@code days} days ago until now
     * (events the simulation places after now are left out).
     */
    public static List<SimEvent> history(long seed, int users, int days, Instant now) {
        Instant start = now.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(days));
        BehaviourSimulator sim = new BehaviourSimulator(SimulatorSettings.of(seed, users).withStart(start).withDays(days + 1));
        long cutoff = now.toEpochMilli();
        return sim.events().filter(e -> e.timeMillis() <= cutoff).toList();
    }

    /** Sends {@code events} flat out, 4 requests of 100 in flight, at most {@code limit} long. */
    public LoadReport sendHistory(List<SimEvent> events, Duration limit) {
        LoadSettings settings = LoadSettings.flatOut(gateway, writeKey, Math.max(1, events.size()))
                .withMaxDuration(limit);
        return new LoadGenerator(settings).run(SegmentBatches.from(events.iterator(), 100));
    }

    /**
     * The live trickle: events of a fresh simulation (its own seed, so its message ids differ from the
     * history's), each re-stamped with the clock's time when the generator asks for it, one per request.
     * Never exhausted: the simulation restarts under a new seed when used up.
     */
    public BatchSource live(long seed, int users) {
        return new BatchSource() {
            private long round = 0;
            private Iterator<SimEvent> events = simulation(seed, users, round);

            @Override
            public Batch next() {
                if (!events.hasNext()) {
                    events = simulation(seed, users, ++round);
                }
                String item = restamp(events.next().json(), clock.instant());
                return new Batch(SegmentBatches.body(List.of(item)), 1);
            }
        };
    }

    private static Iterator<SimEvent> simulation(long seed, int users, long round) {
        // in time order, so the trickle interleaves users as a live site would
        return new BehaviourSimulator(SimulatorSettings.of(seed + 1_000_003L * (round + 1), users).withDays(1)).events()
                .sorted(Comparator.comparingLong(SimEvent::timeMillis)).iterator();
    }

    /** The item with its {@code timestamp} replaced by {@code at}. */
    public static String restamp(String item, Instant at) {
        Matcher m = TIMESTAMP.matcher(item);
        if (!m.find()) {
            throw new IllegalArgumentException("the item has no timestamp: " + item);
        }
        return m.replaceFirst(Matcher.quoteReplacement("\"timestamp\":\"" + at + "\""));
    }

    /** Sends the trickle at {@code eventsPerSecond} for up to {@code duration} (at most 1 h per call). */
    public LoadReport trickle(BatchSource source, double eventsPerSecond, Duration duration) {
        LoadSettings settings = new LoadSettings(gateway, writeKey, 2, eventsPerSecond, Long.MAX_VALUE / 2, duration,
                Duration.ofSeconds(15));
        return new LoadGenerator(settings).run(source);
    }

    /** Splits {@code events} into the given number of nearly equal parts, in order (for progress output). */
    static List<List<SimEvent>> chunks(List<SimEvent> events, int parts) {
        List<List<SimEvent>> out = new ArrayList<>();
        int size = Math.max(1, (events.size() + parts - 1) / parts);
        for (int i = 0; i < events.size(); i += size) {
            out.add(events.subList(i, Math.min(events.size(), i + size)));
        }
        return out;
    }
}
