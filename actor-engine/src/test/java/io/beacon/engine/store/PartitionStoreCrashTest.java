package io.beacon.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.engine.state.UserState;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL a process in the middle of a stream of commits, reopen: the store holds exactly one whole
 * commit — the offset, every state, the membership index, the size and the timers agree — and it is at
 * least the last commit the process reported as returned (the WAL is written to the operating system
 * before a commit returns; no fsync is needed for a process crash, whose written buffers the kernel keeps).
 */
class PartitionStoreCrashTest {
    @TempDir
    Path dir;

    @Test
    void shouldHoldOneWholeCommitAfterSigkill() throws Exception {
        for (int round = 0; round < 3; round++) {
            Path db = dir.resolve("round" + round);
            long reported = runAndKill(db, 40 + round * 37);

            try (PartitionStore store = PartitionStore.open(db, 0)) {
                long k = store.storedNextOffset();
                assertTrue(k >= reported, "stored " + k + " < reported " + reported);
                List<UserState> users = new ArrayList<>();
                store.forEach(users::add);
                assertEquals(CrashingCommitter.USERS, users.size());
                for (UserState u : users) {
                    assertEquals((double) k, u.scores().get("k").value(), u.userKey());
                    assertEquals(k % 2 == 0, u.memberships().containsKey("even"), u.userKey());
                }
                long expectedMembers = k % 2 == 0 ? CrashingCommitter.USERS : 0;
                assertEquals(expectedMembers, store.segmentSize("shop", "even"));
                assertEquals(expectedMembers, store.members("shop", "even", null, 1_000).userKeys().size());
                assertEquals(CrashingCommitter.USERS, store.dueUsers(1_000_000 + k, 1_000).size());
                assertEquals(0, store.dueUsers(1_000_000 + k - 1, 1_000).size(), "old timers were replaced");
            }
        }
    }

    /** Starts the committer, waits until it reported {@code atLeast} commits, SIGKILLs it; returns the last reported. */
    private static long runAndKill(Path db, int atLeast) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashingCommitter.class.getName(), db.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        long last = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (last < atLeast && (line = out.readLine()) != null && System.nanoTime() < deadline) {
                last = Long.parseLong(line.trim());
            }
            // SIGKILL while it keeps committing (destroyForcibly also closes its pipes: later lines are lost,
            // so "last" is a lower bound of the commits that returned)
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        assertTrue(last >= atLeast, "the committer reported only " + last + " commits");
        return last;
    }
}
