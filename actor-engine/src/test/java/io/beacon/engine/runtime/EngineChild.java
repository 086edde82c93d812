package io.beacon.engine.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.beacon.control.audience.Cmp;
import io.beacon.control.audience.Rule;
import io.beacon.control.audience.Window;
import io.beacon.control.segments.SegmentDefinition;
import java.util.List;

/**
 * An engine node as a child JVM for {@link EngineCrashIT} (configured by {@code -D} system properties, the
 * test's classpath), so the test can SIGKILL it. Segment "buyers": purchased at least twice, ever.
 */
public final class EngineChild {
    static final SegmentDefinition BUYERS = new SegmentDefinition("shop", "buyers", "Buyers", null,
            new Rule.EventCount("purchase", Window.ALL, Cmp.GTE, 2), 1, 0);

    private EngineChild() {
    }

    public static void main(String[] args) throws Exception {
        Config config = ConfigFactory.load();
        Engine engine = Engine.start(config, p -> p.equals("shop") ? List.of(BUYERS) : List.of());
        System.out.println("engine child started: " + engine.clusterAddress());
        Thread.currentThread().join(); // runs until killed
    }
}
