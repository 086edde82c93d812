package io.beacon.control.discovery;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.beacon.control.Versioned;
import io.beacon.control.project.Project;
import io.beacon.control.registry.EventDefinition;
import io.beacon.control.registry.EventStatus;
import io.beacon.control.registry.PiiClass;
import io.beacon.control.registry.PropertyDefinition;
import io.beacon.control.registry.PropertyType;
import io.beacon.control.registry.RegistryService;
import io.beacon.control.store.ConfigJson;
import io.beacon.httpkit.ApiException;
import io.beacon.httpkit.Json;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * The discovery endpoints' handlers, for a project already authenticated by its secret key
 * ({@code ControlPlaneRoutes} does the routing and authentication):
 *
 * <ul>
 *   <li>{@code GET /api/v1/metadata/discovered[?kind=event|property]} → 200
 *       {@code {"discovered":[{"kind","name","volume","first_seen","last_seen","type_counts","inferred_type"?}]}},
 *       most frequent first. Items that have a definition by now are left out (the topic keeps their last
 *       totals until the topology sees them unregistered again).</li>
 *   <li>{@code POST /api/v1/metadata/discovered/{kind}/{name}/register} → 201 with the new definition (as
 *       {@code GET /metadata/events/{name}} answers it): an event becomes a {@code draft} event with no
 *       listed properties; a property gets its {@link DiscoveredItem#inferredType() inferred type},
 *       {@code pii: none}, not promoted. The write goes through {@link RegistryService} (validation,
 *       {@code beacon.config}, read-your-writes). 404 when nothing of that name was discovered, 409
 *       {@code ALREADY_EXISTS} when a definition exists, 400 {@code NO_INFERRED_TYPE} for a property
 *       whose values fit no type (only objects or nulls seen).</li>
 * </ul>
 */
public final class DiscoveryEndpoints {
    private final DiscoveryView view;
    private final RegistryService registry;

    public DiscoveryEndpoints(DiscoveryView view, RegistryService registry) {
        this.view = view;
        this.registry = registry;
    }

    public CompletionStage<HttpResponse> list(Project project, Optional<String> kindParam) {
        Optional<DiscoveryKind> only = kindParam.map(DiscoveryEndpoints::kind);
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ArrayNode items = o.putArray("discovered");
        for (DiscoveredItem item : view.list(project.id())) {
            if (only.map(k -> k == item.kind()).orElse(true) && !registered(project, item.kind(), item.name())) {
                ObjectNode json = DiscoveryCodec.toJson(item);
                json.remove("project");
                items.add(json);
            }
        }
        return CompletableFuture.completedFuture(Json.response(200, o));
    }

    public CompletionStage<HttpResponse> register(Project project, String kindText, String name) {
        DiscoveryKind kind = kind(kindText);
        DiscoveredItem item = view.get(project.id(), kind, name)
                .orElseThrow(() -> ApiException.notFound("no discovered " + kind.wireName() + " '" + name + "'"));
        if (registered(project, kind, name)) {
            throw new ApiException(409, "ALREADY_EXISTS", kind.wireName() + " '" + name + "' is already registered", "name");
        }
        CompletionStage<? extends Versioned<?>> written;
        if (kind == DiscoveryKind.EVENT) {
            EventDefinition def = new EventDefinition(name, null, description(item), null, List.of(), EventStatus.DRAFT,
                    List.of(), List.of());
            written = registry.putEvent(project.id(), def, 0);
        } else {
            PropertyType type = item.inferredType().orElseThrow(() -> ApiException.badRequest("NO_INFERRED_TYPE",
                    "no type fits the values seen for '" + name + "' " + item.typeCounts()
                            + "; create it with POST /api/v1/metadata/properties and an explicit type", "type"));
            PropertyDefinition def = new PropertyDefinition(name, type, description(item), List.of(), PiiClass.NONE, false);
            written = registry.putProperty(project.id(), def, 0);
        }
        return written.thenApply(v -> {
            ObjectNode o = ConfigJson.toDocument(v.value());
            o.put("version", v.version());
            return Json.response(201, o);
        });
    }

    private boolean registered(Project project, DiscoveryKind kind, String name) {
        return kind == DiscoveryKind.EVENT
                ? registry.event(project.id(), name).isPresent()
                : registry.property(project.id(), name).isPresent();
    }

    private static String description(DiscoveredItem item) {
        return "Registered from discovery (" + item.volume() + " events seen)";
    }

    private static DiscoveryKind kind(String text) {
        return DiscoveryKind.fromWire(text).orElseThrow(() ->
                ApiException.badRequest("INVALID_KIND", "kind must be event or property, was '" + text + "'", "kind"));
    }
}
