package io.beacon.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit 5 extension giving integration tests a real Kafka broker and ClickHouse server.
 *
 * <p>Starting the stack costs seconds, so it is started once per test JVM — on first use, in a temporary
 * directory — and kept in the root store so JUnit stops it and deletes the directory after the last test.
 * Tests isolate themselves with their own topic and database names ({@link TestStack#uniqueName}).
 *
 * <pre>{@code
 * @ExtendWith(BeaconStackExtension.class)
 * class FooIT {
 *     @Test
 *     void x(TestStack stack) { ... }
 * }
 * }</pre>
 *
 * {@link TestStack} can be injected into constructors, {@code @BeforeAll}/{@code @BeforeEach} methods and
 * test methods.
 */
public final class BeaconStackExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(BeaconStackExtension.class);

    /** Starts the stack before the class's {@code @BeforeAll} methods even if nothing asks for it yet. */
    @Override
    public void beforeAll(ExtensionContext context) {
        stack(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == TestStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext)
            throws ParameterResolutionException {
        return stack(extensionContext);
    }

    private static TestStack stack(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SharedStack.class, key -> SharedStack.start(), SharedStack.class)
                .testStack;
    }

    /** The per-JVM stack; JUnit closes AutoCloseable values of the root store when the run ends. */
    private static final class SharedStack implements AutoCloseable {

        private static final Logger LOG = LoggerFactory.getLogger(SharedStack.class);

        private final Path dir;
        private final BeaconStack stack;
        private final ChdbServer chdb;
        private final TestStack testStack;

        private SharedStack(Path dir, BeaconStack stack, ChdbServer chdb) {
            this.dir = dir;
            this.stack = stack;
            this.chdb = chdb;
            this.testStack = new TestStack(stack, chdb);
        }

        static SharedStack start() {
            Path dir;
            try {
                dir = Files.createTempDirectory("beacon-test-stack-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temp dir for the Beacon test stack", e);
            }
            boolean withChdb = TestStack.chdbRequested();
            BeaconStack stack = BeaconStack.start(dir);
            ChdbServer chdb = null;
            if (withChdb) {
                try {
                    chdb = ChdbServer.start(dir.resolve("chdb"));
                } catch (RuntimeException e) {
                    stack.close();
                    throw e;
                }
            }
            SharedStack shared = new SharedStack(dir, stack, chdb);
            LOG.info("test stack: Kafka {}, statements go to {}", stack.kafka().bootstrapServers(), shared.testStack.clickhouseEngine());
            return shared;
        }

        @Override
        public void close() {
            try {
                if (chdb != null) {
                    chdb.stop();
                }
            } finally {
                try {
                    stack.close();
                } finally {
                    deleteRecursively(dir);
                }
            }
        }

        private static void deleteRecursively(Path dir) {
            try {
                Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        Files.delete(file);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                        Files.delete(d);
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                LOG.warn("could not delete test stack dir {}: {}", dir, e.toString());
            }
        }
    }
}
