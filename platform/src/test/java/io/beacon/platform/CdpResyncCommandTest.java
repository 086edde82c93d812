package io.beacon.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CdpResyncCommandTest {

    @Test
    void shouldParseTheDestinationAndTheOptionalResyncIdUrlAndKey() {
        CdpResyncCommand c = CdpResyncCommand.parse(new String[] {"resync", "--destination", "crm", "--resync-id", "rs-1",
                "--url", "http://127.0.0.1:9000/", "--secret-key", "sk_x"});
        assertEquals(new CdpResyncCommand("crm", "rs-1", "http://127.0.0.1:9000/", "sk_x"), c);
        assertEquals(URI.create("http://127.0.0.1:9000/api/v1/destinations/crm/resync"), c.uri(c.url()));
        assertEquals("{\"resync_id\":\"rs-1\"}", c.body());
    }

    @Test
    void shouldSendAnEmptyObjectWithoutAResyncId() {
        CdpResyncCommand c = CdpResyncCommand.parse(new String[] {"resync", "--destination", "crm"});
        assertNull(c.resyncId());
        assertNull(c.url());
        assertEquals("{}", c.body());
    }

    @Test
    void shouldRefuseAMissingOrMalformedDestinationNamingTheOption() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> CdpResyncCommand.parse(new String[] {"resync"}));
        assertTrue(missing.getMessage().startsWith("--destination is required"), missing.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> CdpResyncCommand.parse(new String[] {"resync", "--destination", "a/b"}));
        assertTrue(bad.getMessage().startsWith("--destination "), bad.getMessage());
    }

    @Test
    void shouldRefuseAnUnknownOptionAndANonHttpUrl() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> CdpResyncCommand.parse(new String[] {"resync", "--destination", "crm", "--segment", "vip"}));
        assertTrue(unknown.getMessage().contains("[segment]"), unknown.getMessage());
        IllegalArgumentException url = assertThrows(IllegalArgumentException.class,
                () -> CdpResyncCommand.parse(new String[] {"resync", "--destination", "crm", "--url", "ftp://x"}));
        assertTrue(url.getMessage().startsWith("--url"), url.getMessage());
    }

    @Test
    void shouldReadTheDevProjectsSecretKey(@TempDir Path dev) throws IOException {
        assertEquals(Optional.empty(), CdpResyncCommand.devSecretKey(dev));
        Files.writeString(dev.resolve("dev-project.json"), "{\"id\":\"dev\",\"name\":\"Development\",\"writeKey\":\"wk_1\",\"secretKey\":\"sk_dev\"}");
        assertEquals(Optional.of("sk_dev"), CdpResyncCommand.devSecretKey(dev));
    }

    @Test
    void shouldPostWithTheBearerKeyAndPrintTheAnswerOrFailWithTheNodesError() throws IOException {
        List<String> seen = new ArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " " + ex.getRequestHeaders().getFirst("Authorization") + " " + body);
            boolean ok = ex.getRequestURI().getPath().contains("/crm/");
            byte[] out = (ok ? "{\"resync_id\":\"rs-1\",\"segments\":{\"vip\":3},\"enqueued\":3}"
                    : "{\"error\":{\"code\":\"NOT_A_CRM_DESTINATION\",\"message\":\"…\",\"field\":\"type\"}}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(ok ? 202 : 400, out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            HttpClient client = HttpClient.newHttpClient();
            JsonNode answer = CdpResyncCommand.parse(new String[] {"resync", "--destination", "crm", "--resync-id", "rs-1"})
                    .run(client, url, "sk_dev");
            assertEquals(3, answer.path("enqueued").asInt());
            assertEquals("POST /api/v1/destinations/crm/resync Bearer sk_dev {\"resync_id\":\"rs-1\"}", seen.get(0));

            IllegalStateException refused = assertThrows(IllegalStateException.class, () ->
                    CdpResyncCommand.parse(new String[] {"resync", "--destination", "hook"}).run(client, url, "sk_dev"));
            assertTrue(refused.getMessage().startsWith("HTTP 400 "), refused.getMessage());
            assertTrue(refused.getMessage().contains("NOT_A_CRM_DESTINATION"), refused.getMessage());
        } finally {
            server.stop(0);
        }
    }
}
