package io.mailtrail.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

/** With one instance per class, JUnit resolves the constructor before any before-all callback. */
@MailtrailDatabase(migrate = false)
@TestInstance(Lifecycle.PER_CLASS)
class PerClassLifecycleTest {

    private final TestDatabase fromConstructor;

    PerClassLifecycleTest(TestDatabase db) {
        this.fromConstructor = db;
    }

    @Test
    void theConstructorAlreadyGetsAWorkingDatabase(TestDatabase db) throws SQLException {
        assertThat(fromConstructor).isSameAs(db);
        assertThat(fromConstructor.count("SELECT 42")).isEqualTo(42);
    }
}
