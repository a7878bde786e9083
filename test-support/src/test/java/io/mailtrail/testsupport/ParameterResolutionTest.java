package io.mailtrail.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@MailtrailDatabase(migrate = false)
class ParameterResolutionTest {

    private static TestDatabase fromBeforeAll;
    private final TestDatabase fromConstructor;
    private TestDatabase fromBeforeEach;

    ParameterResolutionTest(TestDatabase db) {
        this.fromConstructor = db;
    }

    @BeforeAll
    static void rememberBeforeAll(TestDatabase db) {
        fromBeforeAll = db;
    }

    @BeforeEach
    void rememberBeforeEach(TestDatabase db) {
        this.fromBeforeEach = db;
    }

    @Test
    void constructorCallbacksAndTestsGetTheSameDatabase(TestDatabase db) {
        assertThat(db).isSameAs(fromBeforeAll).isSameAs(fromConstructor).isSameAs(fromBeforeEach);
    }

    @Test
    void theDatabaseIsFreshEmptyAndNamedAfterTheClass(TestDatabase db) throws SQLException {
        assertThat(db.databaseName()).matches("mt_parameterresolutiontest_[a-z0-9]{8}");
        assertThat(db.query("SELECT current_database()", row -> row.getString(1)))
                .containsExactly(db.databaseName());
        assertThat(db.count("SELECT count(*) FROM pg_class c JOIN pg_namespace n"
                + " ON n.oid = c.relnamespace WHERE n.nspname = 'public'")).isZero();
    }

    @Nested
    class NestedClass {
        @Test
        void sharesTheDatabaseOfItsEnclosingClass(TestDatabase db) {
            assertThat(db).isSameAs(fromBeforeAll);
        }
    }
}
