package io.beacon.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BeaconStackExtension.class)
class ClickHouseTableRoundTripTest {

    private static String database;

    @BeforeAll
    static void createDatabase(TestStack stack) {
        database = stack.createDatabase(stack.uniqueName("Round-Trip DB"));
    }

    @Test
    void insertedRowIsReadBack(TestStack stack) {
        ClickHouseServer clickhouse = stack.clickhouse();
        assertTrue(stack.clickhouseHttpUrl().startsWith("http://127.0.0.1:"));
        clickhouse.query("CREATE TABLE " + database + ".events (user_id String, event_time DateTime, n UInt32) "
                + "ENGINE = MergeTree() ORDER BY (user_id, event_time)");
        clickhouse.query("INSERT INTO " + database + ".events VALUES ('u1', toDateTime('2026-10-01 12:00:00'), 7)");

        String row = clickhouse.query("SELECT user_id, event_time, n FROM " + database + ".events FORMAT TabSeparated");
        assertEquals("u1\t2026-10-01 12:00:00\t7\n", row);
    }

    @Test
    void serverErrorTextIsReported(TestStack stack) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> stack.clickhouse().query("SELECT * FROM " + database + ".no_such_table"));
        assertTrue(e.getMessage().contains("no_such_table"), e.getMessage());
    }
}
