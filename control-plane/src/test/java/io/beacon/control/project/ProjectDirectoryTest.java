package io.beacon.control.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.beacon.control.FieldError;
import io.beacon.control.InvalidDocumentException;
import io.beacon.control.store.ConflictException;
import io.beacon.control.store.InMemoryConfigStore;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class ProjectDirectoryTest {
    private final InMemoryConfigStore store = new InMemoryConfigStore();
    private final ProjectDirectory directory = new ProjectDirectory(store);

    private static Project project(String id) {
        return new Project(id, "Project " + id, "Europe/Berlin", EnforcementMode.STRICT,
                ProjectKeys.newWriteKey(), ProjectKeys.newSecretKey(), ProjectKeys.newPiiSecret());
    }

    private static Throwable failure(java.util.concurrent.CompletionStage<?> stage) {
        CompletionException e = assertThrows(CompletionException.class, () -> stage.toCompletableFuture().join());
        return e.getCause();
    }

    @Test
    void shouldFindACreatedProjectByIdWriteKeyAndSecretKey() {
        Project p = project("shop");
        directory.create(p).toCompletableFuture().join();

        assertEquals(p, directory.byId("shop").orElseThrow());
        assertEquals(p, directory.byWriteKey(p.writeKey()).orElseThrow());
        assertEquals(p, directory.bySecretKey(p.secretKey()).orElseThrow());
        assertEquals("shop", directory.projectIdForWriteKey(p.writeKey()).orElseThrow());
        assertTrue(directory.byWriteKey(p.secretKey()).isEmpty());
    }

    @Test
    void shouldStopAcceptingRotatedOutKeys() {
        Project p = project("shop");
        directory.create(p).toCompletableFuture().join();

        Project rotated = directory.rotateKeys("shop", true, false).toCompletableFuture().join().value();

        assertTrue(directory.byWriteKey(p.writeKey()).isEmpty());
        assertEquals("shop", directory.projectIdForWriteKey(rotated.writeKey()).orElseThrow());
        assertEquals(p.secretKey(), rotated.secretKey());
        assertTrue(directory.bySecretKey(p.secretKey()).isPresent());
    }

    @Test
    void shouldIndexProjectsThatExistedBeforeTheDirectory() {
        Project p = project("early");
        directory.create(p).toCompletableFuture().join();

        ProjectDirectory later = new ProjectDirectory(store);

        assertEquals(p, later.byWriteKey(p.writeKey()).orElseThrow());
    }

    @Test
    void shouldRejectAnInvalidTimezoneNamingTheField() {
        Project p = project("shop").withTimezone("Mars/Olympus");
        InvalidDocumentException e = assertInstanceOf(InvalidDocumentException.class, failure(directory.create(p)));
        assertEquals("timezone", e.first().field());
        assertTrue(store.list(Project.KIND).isEmpty());
    }

    @Test
    void shouldRejectAWriteKeyAlreadyUsedByAnotherProject() {
        Project a = project("a");
        directory.create(a).toCompletableFuture().join();
        Project b = project("b").withWriteKey(a.writeKey());
        InvalidDocumentException e = assertInstanceOf(InvalidDocumentException.class, failure(directory.create(b)));
        assertEquals(List.of(new FieldError("write_key", "is already in use")), e.errors());
    }

    @Test
    void shouldConflictOnCreatingAnExistingId() {
        directory.create(project("shop")).toCompletableFuture().join();
        assertInstanceOf(ConflictException.class, failure(directory.create(project("shop"))));
    }

    @Test
    void shouldUpdateModeAtTheExpectedVersionOnly() {
        directory.create(project("shop")).toCompletableFuture().join();

        var updated = directory.update("shop", 1, p -> p.withMode(EnforcementMode.PERMISSIVE)).toCompletableFuture().join();

        assertEquals(2, updated.version());
        assertEquals(EnforcementMode.PERMISSIVE, directory.byId("shop").orElseThrow().mode());
        assertInstanceOf(ConflictException.class, failure(directory.update("shop", 1, p -> p.withName("stale"))));
    }

    @Test
    void shouldBootstrapOnceAndKeepTheFirstKeys() {
        Project first = directory.bootstrapProject("dev", "Development", "wk_0123456789abcdef", "sk_0123456789abcdef");
        Project again = directory.bootstrapProject("dev", "Development", "wk_different_key_00", "sk_different_key_00");

        assertEquals(first, again);
        assertEquals("wk_0123456789abcdef", again.writeKey());
        assertEquals(EnforcementMode.PERMISSIVE, again.mode());
    }

    @Test
    void shouldNeverPrintKeys() {
        Project p = project("shop");
        assertFalse(p.toString().contains(p.writeKey()));
        assertFalse(p.toString().contains(p.secretKey()));
        assertFalse(p.toString().contains(p.piiSecret()));
    }
}
