package io.mailtrail.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@MailtrailDatabase(migrate = false)
class TestDatabaseTest {

    @BeforeAll
    static void createTable(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
    }

    @Test
    void executeAddsUpTheRowsOfSeveralStatements(TestDatabase db) throws SQLException {
        int changed = db.execute("INSERT INTO item VALUES (1, 'a'), (2, 'b');"
                + " UPDATE item SET name = upper(name); SELECT 1; DELETE FROM item");

        assertThat(changed).isEqualTo(2 + 2 + 2);
    }

    @Test
    void queryHelpersBindParametersAndMapRows(TestDatabase db) throws SQLException {
        db.execute("INSERT INTO item VALUES (?, ?), (?, ?)", 10, "ten", 11, "eleven");
        try {
            assertThat(db.query("SELECT name FROM item WHERE id >= ? ORDER BY id",
                    row -> row.getString("name"), 10)).containsExactly("ten", "eleven");
            assertThat(db.rows("SELECT id, name FROM item WHERE id = ?", 11))
                    .containsExactly(Map.of("id", 11, "name", "eleven"));
            assertThat(db.count("SELECT count(*) FROM item WHERE id >= 10")).isEqualTo(2);
        } finally {
            db.execute("DELETE FROM item WHERE id >= 10");
        }
    }

    @Test
    void noticesReturnsWhatTheServerRaisedInOrder(TestDatabase db) throws SQLException {
        assertThat(db.notices("DO $$ BEGIN RAISE NOTICE 'one'; RAISE NOTICE 'two %', 2; END $$"))
                .containsExactly("one", "two 2");
        assertThat(db.notices("SELECT 1")).isEmpty();
    }

    @Test
    void countWantsExactlyOneRow(TestDatabase db) {
        assertThatThrownBy(() -> db.count("SELECT 1 WHERE false"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Expected exactly one row but got 0 from: SELECT 1 WHERE false");
    }

    @Test
    void sqlErrorsReachTheTestUnchanged(TestDatabase db) {
        assertThatThrownBy(() -> db.execute("INSERT INTO no_such_table VALUES (1)"))
                .isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getSQLState()).isEqualTo("42P01"));
    }

    @Test
    void urlAndDataSourceReachTheSameDatabase(TestDatabase db) throws SQLException {
        try (Connection viaUrl = DriverManager.getConnection(db.jdbcUrl());
                Connection viaDataSource = db.dataSource().getConnection()) {
            assertThat(viaUrl.getCatalog()).isEqualTo(db.databaseName());
            assertThat(viaDataSource.getCatalog()).isEqualTo(db.databaseName());
            assertThat(viaUrl.getMetaData().getUserName()).isEqualTo(db.user());
        }
    }

    @Test
    void terminateOtherBackendsKillsOtherConnectionsButNotTheHelpers(TestDatabase db)
            throws SQLException {
        try (Connection victim = db.open(); Statement statement = victim.createStatement()) {
            statement.execute("SELECT 1");

            assertThat(db.terminateOtherBackends()).isPositive();

            assertThatThrownBy(() -> statement.execute("SELECT 1"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState())
                            .as("admin shutdown or connection failure")
                            .isIn("57P01", "08006"));
        }
        assertThat(db.count("SELECT 7")).isEqualTo(7);
    }

    @Test
    void psqlArgsLetTheRealPsqlReachTheDatabase(TestDatabase db) throws Exception {
        List<String> command = new ArrayList<>(List.of("psql"));
        command.addAll(db.psqlArgs());
        command.addAll(List.of("--tuples-only", "--no-align",
                "--command=SELECT current_database() || ' ' || current_user"));

        assertThat(run(command)).isEqualTo(db.databaseName() + " " + db.user());
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output.strip();
    }
}
