package io.beacon.warehouse.clickhouse;

/**
 * A ClickHouse request failed. The message carries the server's own explanation (for example
 * {@code Code: 60, e.displayText() = DB::Exception: Table beacon.nope doesn't exist.}) or, when the
 * server could not be reached, the transport error, plus the start of the statement.
 */
public final class WarehouseException extends RuntimeException {

    /** {@link #serverCode()} when the failure did not come from the server (connection refused, timeout, …). */
    public static final int NO_SERVER_CODE = -1;

    private final int serverCode;

    public WarehouseException(String message, int serverCode, Throwable cause) {
        super(message, cause);
        this.serverCode = serverCode;
    }

    /** The ClickHouse error code ({@code system.errors}), or {@link #NO_SERVER_CODE}. */
    public int serverCode() {
        return serverCode;
    }

    /** Whether the server answered at all: false for connection and timeout failures. */
    public boolean fromServer() {
        return serverCode != NO_SERVER_CODE;
    }
}
