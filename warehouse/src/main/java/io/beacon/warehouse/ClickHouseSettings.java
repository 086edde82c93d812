package io.beacon.warehouse;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the ClickHouse server is and how to log in ({@code beacon.clickhouse} in {@code reference.conf}).
 *
 * @param url           HTTP base URL ({@value #URL}), default {@code http://127.0.0.1:8123}
 * @param database      the database of Beacon's tables ({@value #DATABASE}), default {@code beacon}
 * @param user          user name ({@value #USER}), default {@code default}
 * @param password      password ({@value #PASSWORD}), default empty; never logged or printed
 * @param socketTimeout how long one request may wait for the server ({@value #SOCKET_TIMEOUT}), default 60 s
 */
public record ClickHouseSettings(String url, String database, String user, String password, Duration socketTimeout) {

    /** HTTP base URL of the server. */
    public static final String URL = "beacon.clickhouse.url";
    /** Database of Beacon's tables, created by the migrations when missing. */
    public static final String DATABASE = "beacon.clickhouse.database";
    /** User name (HTTP basic auth). */
    public static final String USER = "beacon.clickhouse.user";
    /** Password (HTTP basic auth). */
    public static final String PASSWORD = "beacon.clickhouse.password";
    /** Per-request socket timeout. */
    public static final String SOCKET_TIMEOUT = "beacon.clickhouse.socket-timeout";

    public ClickHouseSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(database, "database");
        if (!database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("beacon.clickhouse.database must be a plain identifier: " + database);
        }
        user = user == null ? "default" : user;
        password = password == null ? "" : password;
        socketTimeout = socketTimeout == null ? Duration.ofSeconds(60) : socketTimeout;
    }

    /** Settings for {@code url} and {@code database} with the default user, no password and the default timeout. */
    public static ClickHouseSettings of(String url, String database) {
        return new ClickHouseSettings(url, database, "default", "", Duration.ofSeconds(60));
    }

    public static ClickHouseSettings fromConfig(Config config) {
        return new ClickHouseSettings(
                config.getString(URL),
                config.getString(DATABASE),
                config.getString(USER),
                config.getString(PASSWORD),
                config.getDuration(SOCKET_TIMEOUT));
    }

    /** A copy using another database (tests use one database per class). */
    public ClickHouseSettings withDatabase(String otherDatabase) {
        return new ClickHouseSettings(url, otherDatabase, user, password, socketTimeout);
    }

    /** Keeps the password out of logs and error messages. */
    @Override
    public String toString() {
        return "ClickHouseSettings[url=" + url + ", database=" + database + ", user=" + user
                + ", password=" + (password.isEmpty() ? "" : "***") + ", socketTimeout=" + socketTimeout + "]";
    }
}
