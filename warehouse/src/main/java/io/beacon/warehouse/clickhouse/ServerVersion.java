package io.beacon.warehouse.clickhouse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A ClickHouse server version as {@code SELECT version()} reports it ({@code 18.16.1}, {@code 26.7.2.1}).
 *
 * <p>Beacon's statements are written to run unchanged on every supported version (18.16 and current
 * releases; docs/architecture.md, "ClickHouse versions"). If a statement ever must differ by version, the
 * choice belongs here, as a named capability, so both branches are found and tested in one place.
 */
public record ServerVersion(int major, int minor, String text) {

    /** The oldest release Beacon is tested on: Debian 12's clickhouse-server. */
    public static final ServerVersion OLDEST_SUPPORTED = new ServerVersion(18, 16, "18.16");

    private static final Pattern LEADING = Pattern.compile("^(\\d+)\\.(\\d+)");

    /** Parses {@code major.minor[...]}; anything else is an {@link IllegalArgumentException}. */
    public static ServerVersion parse(String text) {
        Matcher m = LEADING.matcher(text == null ? "" : text.strip());
        if (!m.find()) {
            throw new IllegalArgumentException("not a ClickHouse version: '" + text + "'");
        }
        return new ServerVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), text.strip());
    }

    /** Whether this version is at least {@code major.minor}. */
    public boolean atLeast(int major, int minor) {
        return this.major > major || (this.major == major && this.minor >= minor);
    }

    /** Whether Beacon is tested on this version or an older one it supersedes (≥ 18.16). */
    public boolean supported() {
        return atLeast(OLDEST_SUPPORTED.major, OLDEST_SUPPORTED.minor);
    }

    @Override
    public String toString() {
        return text;
    }
}
