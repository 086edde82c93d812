package io.beacon.warehouse.widening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ColumnNamesTest {

    private static final String PLAIN_IDENTIFIER = "p_[a-z0-9_]+";

    @Test
    void shouldKeepASafeNameAsItIs() {
        assertEquals("p_amount", ColumnNames.columnFor("amount"));
        assertEquals("p_order_id_2", ColumnNames.columnFor("order_id_2"));
    }

    @Test
    void shouldSanitizeAndHashAnyOtherName() {
        String column = ColumnNames.columnFor("Order Total");

        assertTrue(column.matches("p_order_total_[0-9a-f]{8}"), column);
        assertEquals(column, ColumnNames.columnFor("Order Total"), "deterministic");
    }

    @Test
    void shouldGiveNamesThatDifferOnlyInLostCharactersDifferentColumns() {
        List<String> names = List.of("order total", "Order Total", "order-total", "order.total", "order_total", "$order_total");
        Set<String> columns = new HashSet<>();
        names.forEach(n -> columns.add(ColumnNames.columnFor(n)));

        assertEquals(names.size(), columns.size(), columns.toString());
    }

    @Test
    void shouldMakeEveryNameAPlainIdentifier() {
        for (String name : List.of("$current_url", "价格", "a\"b'c`d", "x".repeat(300), "🚀", "A")) {
            String column = ColumnNames.columnFor(name);
            assertTrue(column.matches(PLAIN_IDENTIFIER), name + " -> " + column);
            assertTrue(column.length() <= 2 + 48 + 1 + 8, column);
        }
        assertNotEquals(ColumnNames.columnFor("A"), ColumnNames.columnFor("a"));
    }

    @Test
    void shouldRefuseAnEmptyName() {
        assertThrows(IllegalArgumentException.class, () -> ColumnNames.columnFor(""));
    }
}
