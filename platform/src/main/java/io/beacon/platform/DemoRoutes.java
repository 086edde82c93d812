package io.beacon.platform;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.getFromResource;
import static org.apache.pekko.http.javadsl.server.Directives.getFromResourceDirectory;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEndOrSingleSlash;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The demo shop at {@code /demo/shop} (home, product, cart, checkout; the README's "see events
 * arrive" walk-through): static pages from {@code demo/shop/} on the classpath, instrumented with
 * posthog-js served from {@code demo/vendor/posthog-js/}, where the build copies the npm package's
 * bundle (see {@code platform/web/package.json}): nothing is loaded from a CDN. The pages send to
 * this server's PostHog endpoints, so the demo is mounted only where the gateway runs.
 *
 * <p>{@code /demo/shop/config.js} hands the pages the bootstrap project's write key (a public key:
 * every instrumented page carries one); {@code ?key=…} on any demo page overrides it.
 */
final class DemoRoutes {
    /** Classpath location of the posthog-js bundle the pages load. */
    static final String POSTHOG_BUNDLE = "demo/vendor/posthog-js/array.full.no-external.js";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String writeKey;

    DemoRoutes(String writeKey) {
        this.writeKey = writeKey;
    }

    /** The demo routes when {@code roles} include the gateway, else a route that claims nothing. */
    static Route forRoles(Set<Role> roles, String writeKey) {
        return roles.contains(Role.GATEWAY) ? new DemoRoutes(writeKey).route() : Directives.reject();
    }

    Route route() {
        return pathPrefix("demo", () -> get(() -> concat(
                pathPrefix("shop", () -> concat(
                        pathEndOrSingleSlash(() -> getFromResource("demo/shop/index.html", ContentTypes.TEXT_HTML_UTF8)),
                        path("config.js", this::config),
                        getFromResourceDirectory("demo/shop"))),
                pathPrefix("vendor", () -> concat(
                        getFromResourceDirectory("demo/vendor"),
                        pathPrefix("posthog-js", DemoRoutes::missingBundle))))));
    }

    private Route config() {
        String js = "window.BEACON_DEMO_CONFIG = " + JSON.createObjectNode().put("writeKey", writeKey) + ";\n";
        return complete(HttpResponse.create().withEntity(HttpEntities.create(
                ContentTypes.create(MediaTypes.APPLICATION_JAVASCRIPT, HttpCharsets.UTF_8), js)));
    }

    /** The bundle is copied by the build from platform/web/node_modules: say how to get it. */
    private static Route missingBundle() {
        return complete(HttpResponse.create().withStatus(StatusCodes.SERVICE_UNAVAILABLE).withEntity(ContentTypes.TEXT_PLAIN_UTF8,
                "posthog-js is not in this build: run 'npm ci' in platform/web (./beacon test and ./beacon up do) and rebuild"));
    }
}
