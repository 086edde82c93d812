package io.beacon.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uses private servers in their own directories, so the shared test stack is not disturbed. */
class ClickHouseKeepsDataAcrossRestartTest {

    @TempDir
    Path dir;

    @Test
    void rowsSurviveACleanStopAndANewStartOnTheSameDirectory() {
        try (ClickHouseServer first = ClickHouseServer.start(dir, 0, 0)) {
            first.query("CREATE DATABASE beacon");
            first.query("CREATE TABLE beacon.t (id UInt64, name String) ENGINE = MergeTree() ORDER BY id");
            first.query("INSERT INTO beacon.t VALUES (1, 'one'), (2, 'two')");
        }

        try (ClickHouseServer second = ClickHouseServer.start(dir, 0, 0)) {
            assertEquals("1\tone\n2\ttwo\n", second.query("SELECT id, name FROM beacon.t ORDER BY id"));
        }
    }

    @Test
    void restartAfterSigkillReusesPortsAndKeepsRows() throws Exception {
        try (ClickHouseServer server = ClickHouseServer.start(dir, 0, 0)) {
            server.query("CREATE DATABASE beacon");
            server.query("CREATE TABLE beacon.t (id UInt64) ENGINE = MergeTree() ORDER BY id");
            server.query("INSERT INTO beacon.t VALUES (42)");
            long oldPid = server.pid();
            int port = server.httpPort();

            ProcessHandle handle = ProcessHandle.of(oldPid).orElseThrow();
            handle.destroyForcibly();
            handle.onExit().get();
            assertFalse(server.isRunning());
            assertTrue(Files.exists(dir.resolve("data").resolve("status")), "stale status file left behind");

            server.restart();
            assertNotEquals(oldPid, server.pid());
            assertEquals(port, server.httpPort());
            assertEquals("42\n", server.query("SELECT id FROM beacon.t"));
        }
    }
}
