package io.beacon.warehouse.clickhouse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ClickHouseMessagesTest {

    @Test
    void shouldStripTheOldServersEchoAndTheClientsTransportSuffix() {
        String raw = "Code: 60, e.displayText() = DB::Exception: Table beacon.nope doesn't exist., "
                + "e.what() = DB::Exception (transport error: 404)\n";

        assertEquals("Code: 60, e.displayText() = DB::Exception: Table beacon.nope doesn't exist.",
                ClickHouse.serverMessage(raw));
    }

    @Test
    void shouldKeepANewServersMessageWhole() {
        String raw = "Code: 60. DB::Exception: Unknown table expression identifier 'nope'. (UNKNOWN_TABLE) (version 24.8.1.1)";

        assertEquals(raw, ClickHouse.serverMessage(raw));
    }
}
