package io.mailtrail.testsupport;

import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Decides which PostgreSQL server the tests use. Kept free of side effects so that every branch,
 * including "nothing configured", can be tested with injected lookups instead of a changed
 * environment.
 */
final class ServerSelection {

    static final String ENV_VARIABLE = "MAILTRAIL_TEST_JDBC_URL";
    static final String SYSTEM_PROPERTY = "mailtrail.test.jdbc.url";
    static final String EXAMPLE_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    /** Where the server comes from. */
    sealed interface Choice permits ConfiguredUrl, Container {}

    /** A server named by a JDBC URL; {@code origin} says which setting named it. */
    record ConfiguredUrl(String jdbcUrl, String origin) implements Choice {}

    /** A Testcontainers PostgreSQL, because Docker is available. */
    record Container() implements Choice {}

    private ServerSelection() {}

    /**
     * The system property wins over the environment variable: a {@code -D} on one command line is
     * more local than an exported variable, so it is the one a developer means. Blank values count
     * as unset, so {@code MAILTRAIL_TEST_JDBC_URL=} does not hide Docker.
     *
     * @throws ExtensionConfigurationException when neither a URL nor Docker is available; the
     *     tests must fail, not be skipped, or a broken CI would report green
     */
    static Choice choose(UnaryOperator<String> environment, UnaryOperator<String> systemProperties,
            BooleanSupplier dockerAvailable) {
        String property = systemProperties.apply(SYSTEM_PROPERTY);
        if (property != null && !property.isBlank()) {
            return new ConfiguredUrl(property.strip(), "system property " + SYSTEM_PROPERTY);
        }
        String variable = environment.apply(ENV_VARIABLE);
        if (variable != null && !variable.isBlank()) {
            return new ConfiguredUrl(variable.strip(), "environment variable " + ENV_VARIABLE);
        }
        if (dockerAvailable.getAsBoolean()) {
            return new Container();
        }
        throw new ExtensionConfigurationException(noServerMessage());
    }

    static String noServerMessage() {
        return "@MailtrailDatabase needs a PostgreSQL server (13 or newer) but none is configured."
                + " Either set the environment variable " + ENV_VARIABLE
                + " (or the system property " + SYSTEM_PROPERTY + ") to the JDBC URL of a superuser"
                + " that may CREATE DATABASE, e.g. " + ENV_VARIABLE + "='" + EXAMPLE_URL + "'"
                + " (add &password=... if the server asks for one; `bash .ci/run` sets this up"
                + " with a local PostgreSQL), or start a Docker engine so that Testcontainers can"
                + " run PostgreSQL.";
    }
}
