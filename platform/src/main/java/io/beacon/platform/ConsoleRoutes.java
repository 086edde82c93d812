package io.beacon.platform;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.extractUnmatchedPath;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.getFromDirectory;
import static org.apache.pekko.http.javadsl.server.Directives.getFromFile;
import static org.apache.pekko.http.javadsl.server.Directives.pathEndOrSingleSlash;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.reject;
import static org.apache.pekko.http.javadsl.server.Directives.respondWithHeader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The web console ({@code console/}, a Vue single-page app) at {@code /}, from its built bundle on disk
 * ({@link PlatformSettings#consoleDir()}):
 * <ul>
 *   <li>{@code /assets/*}: Vite's content-hashed files, {@code Cache-Control: public, max-age=31536000, immutable};</li>
 *   <li>{@code /} and the app's own paths ({@link #CLIENT_ROUTES}, e.g. {@code /insights/funnels}):
 *       {@code index.html} with {@code Cache-Control: no-cache}, so a new build is picked up at once.</li>
 * </ul>
 * Only these paths are claimed: {@code /api/…} and every other unknown path keep the JSON 404. The bundle is
 * looked up per request, so building it while the node runs needs no restart; while {@code index.html} is
 * missing, {@code /} answers 200 with a page saying how to build it.
 */
final class ConsoleRoutes {
    /** First path segments of the console's client-side routes (see console/src/areas/*.js). */
    static final List<String> CLIENT_ROUTES = List.of(
            "sign-in", "insights", "sql", "dashboards", "people", "live", "data", "experiments", "cohorts", "segments", "destinations", "models",
            "journeys");

    private static final HttpHeader IMMUTABLE = RawHeader.create("Cache-Control", "public, max-age=31536000, immutable");
    private static final HttpHeader NO_CACHE = RawHeader.create("Cache-Control", "no-cache");
    static final String MISSING_BUNDLE = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Beacon console not built</title></head>
            <body style="font-family:system-ui,sans-serif;max-width:640px;margin:60px auto">
            <h1>The Beacon console is not built</h1>
            <p>This node serves the console from <code>%s</code>, which has no <code>index.html</code>.</p>
            <p>Build it from the repository root with <code>cd console &amp;&amp; npm ci &amp;&amp; npx vite build</code>
            (<code>./beacon up</code> and <code>./beacon test</code> do this), or point <code>beacon.console.dir</code>
            (<code>BEACON_CONSOLE_DIR</code>) at a built bundle. The API under <code>/api/v1</code> works without it.</p>
            </body></html>
            """;

    private final Path dir;

    ConsoleRoutes(Path dir) {
        this.dir = dir;
    }

    Route route() {
        return get(() -> concat(
                pathPrefix("assets", () -> respondWithHeader(IMMUTABLE, () -> getFromDirectory(dir.resolve("assets").toString()))),
                pathEndOrSingleSlash(this::index),
                pathPrefix(PathMatchers.segment(), first -> CLIENT_ROUTES.contains(first) ? index() : reject())));
    }

    private Route index() {
        return extractUnmatchedPath(ignored -> {
            Path index = dir.resolve("index.html");
            if (!Files.isRegularFile(index)) {
                return complete(HttpResponse.create().withStatus(200).addHeader(NO_CACHE)
                        .withEntity(ContentTypes.TEXT_HTML_UTF8, MISSING_BUNDLE.formatted(escape(dir.toString()))));
            }
            return respondWithHeader(NO_CACHE, () -> getFromFile(index.toFile(), ContentTypes.TEXT_HTML_UTF8));
        });
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
