package io.mailtrail.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the annotated test class its own, freshly created PostgreSQL database, dropped again after
 * the class (also when tests failed). Tests receive it as a {@link TestDatabase} parameter in the
 * constructor and in {@code @BeforeAll}, {@code @BeforeEach} and test methods. {@code @Nested}
 * classes share the database of their outermost class.
 *
 * <p>The server is the one named by the environment variable {@code MAILTRAIL_TEST_JDBC_URL} or
 * the system property {@code mailtrail.test.jdbc.url} (the property wins), e.g.
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}, whose user must be allowed to
 * {@code CREATE DATABASE}. Without one, a Testcontainers PostgreSQL is started once per JVM when
 * Docker is available; otherwise the class fails with a message saying how to provide a server.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(PostgresDatabaseExtension.class)
public @interface MailtrailDatabase {

    /**
     * Whether to apply the Flyway migrations found on the test class path under
     * {@code classpath:db/migration/mailtrail} (plus {@link #extraLocations()}) before the first
     * test. Default {@code true}. With {@code false} the database is empty; a test may still call
     * {@link TestDatabase#migrate()} after preparing it.
     */
    boolean migrate() default true;

    /**
     * Further Flyway locations applied together with the Mailtrail migrations, e.g.
     * {@code "classpath:db/migration/fixtures"}. Default: none.
     */
    String[] extraLocations() default {};
}
