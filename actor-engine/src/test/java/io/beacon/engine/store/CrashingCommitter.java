package io.beacon.engine.store;

import io.beacon.engine.state.UserState;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The child process of {@link PartitionStoreCrashTest}: commits forever, each commit {@code k} writing
 * every user with score {@code k}, membership of segment "even" iff {@code k} is even, timer {@code k}, and
 * next offset {@code k}; prints {@code k} after each commit returned. It is killed with SIGKILL.
 */
public final class CrashingCommitter {
    static final int USERS = 50;

    private CrashingCommitter() {
    }

    public static void main(String[] args) {
        try (PartitionStore store = PartitionStore.open(Path.of(args[0]), 0)) {
            for (long k = 1; ; k++) {
                Map<String, UserState> states = new LinkedHashMap<>();
                for (int u = 0; u < USERS; u++) {
                    UserState s = new UserState("shop", "u" + u);
                    s.setScore("k", k, k);
                    if (k % 2 == 0) {
                        s.enterSegment("even", k);
                    }
                    s.setNextTimerAtMs(1_000_000 + k);
                    states.put(s.userKey(), s);
                }
                store.commit(states, Map.of(), k, k * 1_000L);
                System.out.println(k);
                System.out.flush();
            }
        }
    }
}
