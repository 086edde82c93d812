package io.beacon.loadtest.demo;

import io.beacon.loadtest.load.BatchSource;
import io.beacon.loadtest.load.LoadReport;
import io.beacon.loadtest.sim.SimEvent;
import io.beacon.platform.DevProject;
import io.beacon.platform.RunState;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code ./beacon up --demo}: waits for the stack that {@code ./beacon up} is starting, sends a few days
 * of simulated history, then a live trickle until stopped (Ctrl-C).
 *
 * <pre>DemoMain [--home DIR] [--users N] [--days D] [--rate EVENTS_PER_S] [--seed S]</pre>
 */
public final class DemoMain {
    private DemoMain() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Paths.get(System.getProperty("beacon.home", ".")).toAbsolutePath().normalize();
        int users = 300;
        int days = 3;
        double rate = 2;
        long seed = 7;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--home" -> home = Paths.get(required(args[i], value));
                case "--users" -> users = positive(args[i], value);
                case "--days" -> days = positive(args[i], value);
                case "--rate" -> rate = Double.parseDouble(required(args[i], value));
                case "--seed" -> seed = Long.parseLong(required(args[i], value));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; expected --home, --users, --days, --rate or --seed");
            }
            i++;
        }
        if (rate <= 0 || rate > 1_000) {
            throw new IllegalArgumentException("--rate must be within (0, 1000] events per second");
        }
        Path dev = home.resolve(".beacon");
        System.out.println("demo: waiting for ./beacon up to be ready (up to 5 min) ...");
        RunState state = awaitStack(dev, Duration.ofMinutes(5));
        DevProject project = DevProject.loadOrCreate(dev.resolve("dev-project.json"), state.projectId(), "Development");
        DemoFeeder feeder = new DemoFeeder(URI.create(state.httpUrl()), project.writeKey(), Clock.systemUTC());

        Instant now = Instant.now();
        List<SimEvent> history = DemoFeeder.history(seed, users, days, now);
        System.out.printf("demo: sending %,d simulated events of %d users over the last %d days ...%n", history.size(), users, days);
        long accepted = 0;
        int part = 0;
        List<List<SimEvent>> parts = DemoFeeder.chunks(history, 10);
        for (List<SimEvent> chunk : parts) {
            LoadReport r = feeder.sendHistory(chunk, Duration.ofMinutes(10));
            accepted += r.eventsAccepted();
            part++;
            System.out.printf("demo: history %d%% (%,d accepted, %,d rejected, %,d failed)%n",
                    part * 100 / parts.size(), accepted, r.eventsRejected(), r.eventsFailed());
        }
        System.out.println("demo: history sent. Try:  ./beacon sql \"SELECT event_name, count() FROM events FINAL GROUP BY event_name\"");
        System.out.printf("demo: live trickle of %.1f events/s until Ctrl-C ...%n", rate);
        BatchSource live = feeder.live(seed, users);
        while (RunState.readLive(dev).isPresent()) {
            LoadReport r = feeder.trickle(live, rate, Duration.ofMinutes(1));
            System.out.printf("demo: live minute: %,d accepted, %,d failed%n", r.eventsAccepted(), r.eventsFailed());
        }
        System.out.println("demo: the stack stopped; done.");
    }

    private static RunState awaitStack(Path dev, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            Optional<RunState> s = RunState.readLive(dev);
            if (s.isPresent()) {
                return s.get();
            }
            Thread.sleep(500); // poll interval within the deadline
        }
        throw new IllegalStateException("no running stack under " + dev + " after " + limit.toMinutes() + " min");
    }

    private static String required(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    private static int positive(String option, String value) {
        int n = Integer.parseInt(required(option, value));
        if (n < 1 || n > 100_000) {
            throw new IllegalArgumentException(option + " must be within 1..100000: " + n);
        }
        return n;
    }
}
