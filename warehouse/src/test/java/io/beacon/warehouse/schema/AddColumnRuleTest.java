package io.beacon.warehouse.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

class AddColumnRuleTest {

    @Test
    void shouldRecogniseAPlainAddColumnWithItsTableAndColumn() {
        Matcher m = Migrations.ADD_COLUMN.matcher("ALTER TABLE events ADD COLUMN plan String DEFAULT ''");

        assertEquals(true, m.matches());
        assertEquals("events", m.group(1));
        assertEquals("plan", m.group(2));
    }

    @Test
    void shouldLeaveOtherStatementsAlone() {
        assertFalse(Migrations.ADD_COLUMN.matcher("CREATE TABLE IF NOT EXISTS x (a String) ENGINE = Log").matches());
        assertFalse(Migrations.ADD_COLUMN.matcher("ALTER TABLE events ADD COLUMN IF NOT EXISTS plan String").matches());
        assertFalse(Migrations.ADD_COLUMN.matcher("ALTER TABLE events DROP COLUMN plan").matches());
    }
}
