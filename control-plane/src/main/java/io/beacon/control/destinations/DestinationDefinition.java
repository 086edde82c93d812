package io.beacon.control.destinations;

import io.beacon.control.store.ConfigKey;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A CDP destination: where the connectors deliver signed webhooks, push requests or CRM upserts, and
 * which triggers feed it. Stored under {@code destination/<project>/<id>} as the JSON written by
 * {@link DestinationJson#toDocument} (docs/connectors.md, "Destinations").
 *
 * @param projectId          the project (from the config key)
 * @param id                 {@code [A-Za-z0-9][A-Za-z0-9_-]{0,63}}; {@code dst_…} generated when a create names none
 * @param name               display name, 1..200 characters
 * @param type               which adapter delivers
 * @param url                absolute http(s) URL with a host and no user info, checked by {@link DestinationAddresses}
 * @param secrets            1..3 {@code whsec_} signing secrets, newest first; all of them sign (rotation)
 * @param headers            extra request headers, in the order written
 * @param rateLimitPerSecond at most this many requests a second, 1..10000
 * @param concurrency        at most this many requests in flight, 1..64
 * @param enabled            whether the connectors deliver to it
 * @param disabledReason     why the system disabled it (410 Gone, five days of failures), or {@code null}
 * @param subscriptions      the triggers, 0..50
 * @param template           the push texts (type push only), or {@code null}
 * @param crm                the CRM mapping (type crm only), or {@code null}
 * @param version            the config-store version (&ge; 1 once stored, 0 before)
 * @param updatedAtMs        when this version was written (epoch ms)
 */
public record DestinationDefinition(String projectId, String id, String name, DestinationType type, String url,
                                    List<String> secrets, Map<String, String> headers, int rateLimitPerSecond,
                                    int concurrency, boolean enabled, String disabledReason,
                                    List<Subscription> subscriptions, PushTemplate template, CrmSettings crm,
                                    long version, long updatedAtMs) {
    public static final String KIND = "destination";
    /** Ids that would be shadowed by the connectors' routes ({@code /api/v1/destinations/stats}). */
    public static final Set<String> RESERVED_IDS = Set.of("stats");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    public DestinationDefinition {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(url, "url");
        secrets = List.copyOf(secrets);
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        subscriptions = List.copyOf(subscriptions);
    }

    public static ConfigKey key(String project, String id) {
        return ConfigKey.of(KIND, project, id);
    }

    public ConfigKey key() {
        return key(projectId, id);
    }

    /** Why {@code id} is not a valid destination id, or empty when it is. */
    public static Optional<String> checkId(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (RESERVED_IDS.contains(id)) {
            return Optional.of("'" + id + "' is reserved (GET /api/v1/destinations/" + id + " is the connectors' route)");
        }
        return ID.matcher(id).matches() ? Optional.empty() : Optional.of("must match [A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    }

    public DestinationDefinition withVersion(long newVersion, long newUpdatedAtMs) {
        return new DestinationDefinition(projectId, id, name, type, url, secrets, headers, rateLimitPerSecond, concurrency,
                enabled, disabledReason, subscriptions, template, crm, newVersion, newUpdatedAtMs);
    }

    /** This definition with {@code enabled} and {@code disabledReason} changed (the version is left to the store). */
    public DestinationDefinition withEnabled(boolean newEnabled, String newDisabledReason) {
        return new DestinationDefinition(projectId, id, name, type, url, secrets, headers, rateLimitPerSecond, concurrency,
                newEnabled, newDisabledReason, subscriptions, template, crm, version, updatedAtMs);
    }

    /** The URL's scheme, host and port only: paths and queries of webhook URLs often hold tokens, so logs show this. */
    public String urlForLogs() {
        try {
            URI u = new URI(url);
            return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort()) + "/…";
        } catch (URISyntaxException e) {
            return "<unparsable url>";
        }
    }

    /** Never prints the secrets, header values or the URL's path. */
    @Override
    public String toString() {
        return "DestinationDefinition[" + projectId + "/" + id + ", type=" + type.wireName() + ", url=" + urlForLogs()
                + ", enabled=" + enabled + ", subscriptions=" + subscriptions.size() + ", version=" + version + "]";
    }
}
