package io.beacon.platform;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * The platform's own settings ({@code beacon.roles}, {@code beacon.http}, {@code beacon.bootstrap-project},
 * {@code beacon.readiness}, {@code beacon.console}); module settings are read by the modules themselves.
 *
 * @param consoleDir the console's built bundle ({@code npx vite build} in {@code console/}), served at {@code /};
 *                   a relative path is resolved against the working directory
 */
public record PlatformSettings(Set<Role> roles, String httpHost, int httpPort,
                               String projectId, String projectName, String writeKey, String secretKey,
                               Duration probeTimeout, Path consoleDir) {
    public static final String ROLES = "beacon.roles";
    public static final String HTTP_HOST = "beacon.http.host";
    public static final String HTTP_PORT = "beacon.http.port";
    public static final String PROJECT_ID = "beacon.bootstrap-project.id";
    public static final String PROJECT_NAME = "beacon.bootstrap-project.name";
    public static final String WRITE_KEY = "beacon.bootstrap-project.write-key";
    public static final String SECRET_KEY = "beacon.bootstrap-project.secret-key";
    public static final String PROBE_TIMEOUT = "beacon.readiness.probe-timeout";
    public static final String CONSOLE_DIR = "beacon.console.dir";

    public static PlatformSettings fromConfig(Config c) {
        return new PlatformSettings(Role.parse(c.getString(ROLES)), c.getString(HTTP_HOST), c.getInt(HTTP_PORT),
                c.getString(PROJECT_ID), c.getString(PROJECT_NAME), c.getString(WRITE_KEY), c.getString(SECRET_KEY),
                c.getDuration(PROBE_TIMEOUT), Path.of(c.getString(CONSOLE_DIR)).toAbsolutePath().normalize());
    }
}
