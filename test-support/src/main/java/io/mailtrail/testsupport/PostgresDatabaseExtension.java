package io.mailtrail.testsupport;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link MailtrailDatabase}: creates the class's database, resolves
 * {@link TestDatabase} parameters and drops the database after the class.
 */
public final class PostgresDatabaseExtension
        implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(PostgresDatabaseExtension.class);

    /**
     * Creates the database up front rather than on first use, so that a missing server fails the
     * class at once, even when no method asks for a {@link TestDatabase}.
     */
    @Override
    public void beforeAll(ExtensionContext context) {
        classDatabase(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (owner(context) == context) {
            ClassDatabase database = context.getStore(NAMESPACE)
                    .remove(ClassDatabase.class, ClassDatabase.class);
            if (database != null) {
                database.close();
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestDatabase.class;
    }

    @Override
    public TestDatabase resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return classDatabase(context).database();
    }

    /**
     * Lazily, because with {@code @TestInstance(PER_CLASS)} JUnit builds the test instance, and so
     * resolves constructor parameters, before any before-all callback has run.
     */
    private static ClassDatabase classDatabase(ExtensionContext context) {
        ExtensionContext owner = owner(context);
        return owner.getStore(NAMESPACE).computeIfAbsent(ClassDatabase.class,
                key -> ClassDatabase.create(owner.getRequiredTestClass()), ClassDatabase.class);
    }

    /** The outermost class context: {@code @Nested} classes share their enclosing class's database. */
    private static ExtensionContext owner(ExtensionContext context) {
        ExtensionContext owner = context;
        Optional<ExtensionContext> parent = owner.getParent();
        while (parent.isPresent() && parent.get().getTestClass().isPresent()) {
            owner = parent.get();
            parent = owner.getParent();
        }
        return owner;
    }

    /**
     * Owns one created database. Stored as {@link AutoCloseable} so that JUnit drops it when the
     * class's store closes even if {@link #afterAll} never ran for it.
     */
    private record ClassDatabase(PostgresServer server, TestDatabase database)
            implements AutoCloseable {

        static ClassDatabase create(Class<?> testClass) {
            Optional<MailtrailDatabase> settings =
                    AnnotationSupport.findAnnotation(testClass, MailtrailDatabase.class);
            PostgresServer server = PostgresServer.shared();
            String name = DatabaseNames.forClass(testClass);
            server.createDatabase(name);
            TestDatabase database = new TestDatabase(server, name,
                    settings.map(s -> List.of(s.extraLocations())).orElse(List.of()));
            try {
                if (settings.map(MailtrailDatabase::migrate).orElse(true)) {
                    database.migrate();
                }
            } catch (RuntimeException | Error e) {
                // Not stored yet, so nobody else would drop it.
                try {
                    server.dropDatabase(name);
                } catch (RuntimeException dropFailure) {
                    e.addSuppressed(dropFailure);
                }
                throw e;
            }
            return new ClassDatabase(server, database);
        }

        @Override
        public void close() {
            server.dropDatabase(database.databaseName());
        }
    }
}
