package io.beacon.loadtest.sim;

/**
 * The platform a simulated user is on, with the Segment library it would send through and the
 * value Beacon's mapper derives for the {@code platform} column.
 */
public enum Platform {
    WEB("web", "analytics.js", "5.2.0"),
    IOS("ios", "analytics-ios", "4.1.8"),
    ANDROID("android", "analytics-android", "4.11.3");

    private final String column;
    private final String library;
    private final String libraryVersion;

    Platform(String column, String library, String libraryVersion) {
        this.column = column;
        this.library = library;
        this.libraryVersion = libraryVersion;
    }

    /** The value stored in ClickHouse's {@code platform} column for this platform's events. */
    public String column() {
        return column;
    }

    String library() {
        return library;
    }

    String libraryVersion() {
        return libraryVersion;
    }

    boolean mobile() {
        return this != WEB;
    }
}
