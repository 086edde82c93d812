package io.beacon.cdp.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class LogSqlTest {

    @Test
    void shouldWriteQuotesBackslashesAndControlCharactersAsEscapesInsideOneLiteral() {
        assertEquals("'it\\'s'", LogSql.string("it's"));
        assertEquals("'a\\\\\\' OR 1=1 --'", LogSql.string("a\\' OR 1=1 --"));
        assertEquals("'tab\\tnl\\nnul\\0bell\\x07'", LogSql.string("tab\tnl\nnul\0bell\u0007"));
        assertEquals("'✓ ü'", LogSql.string("✓ ü"));
    }

    @Test
    void shouldFilterAttemptsByProjectDestinationAndMessageAsLiterals() {
        String sql = LogSql.recentAttempts("shop", "d'1", 50, Optional.of("m\\x"));
        assertTrue(sql.contains("FROM deliveries FINAL"), sql);
        assertTrue(sql.contains("WHERE project_id = 'shop' AND destination_id = 'd\\'1' AND message_id = 'm\\\\x'"), sql);
        assertTrue(sql.endsWith("ORDER BY at_ms DESC, message_id DESC, attempt DESC\nLIMIT 50"), sql);
        assertFalse(LogSql.recentAttempts("shop", "d", 5, Optional.empty()).contains("message_id ="));
    }

    @Test
    void shouldBoundStatsByTheWindowsMonthAndExactMillisecond() {
        String sql = LogSql.stats("shop", Optional.of("dst_a"), 1_796_644_800_123L);
        assertTrue(sql.contains("AND at >= toDateTime('2026-12-07 12:00:00', 'UTC') AND at_ms >= 1796644800123"), sql);
        assertTrue(sql.contains("WHERE project_id = 'shop' AND destination_id = 'dst_a'"), sql);
        assertTrue(sql.contains("GROUP BY destination_id"), sql);
        assertFalse(LogSql.stats("shop", Optional.empty(), 0).contains("destination_id ="));
    }

    @Test
    void shouldReadClickHousesQuantileArrays() {
        assertArrayEquals(new double[] {35, 11_275, 14_255.000000000004}, DeliveryLog.quantiles("[35,11275,14255.000000000004]"));
        assertArrayEquals(new double[] {7, 7, 7}, DeliveryLog.quantiles(" [7, 7, 7] "));
        assertThrows(IllegalStateException.class, () -> DeliveryLog.quantiles("[1,2]"));
        assertThrows(IllegalStateException.class, () -> DeliveryLog.quantiles("35"));
    }
}
