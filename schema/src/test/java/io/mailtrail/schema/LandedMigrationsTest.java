package io.mailtrail.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Landed migrations are frozen: databases out there already ran them, and Flyway refuses a
 * migration whose checksum changed. This test pins the SHA-256 of every migration that reached
 * main. A failure here means a landed file was edited, renamed or deleted: undo that and change
 * the schema with a new version instead. A new migration is added to {@link #LANDED} when it lands.
 */
class LandedMigrationsTest {

    private static final String LOCATION = "db/migration/mailtrail";

    private static final Map<String, String> LANDED = Map.ofEntries(
            Map.entry("V1__email_activity_log.sql", "a33e1e0b63ac424e3e85a5960e4e45a98a1d2315859ec481ce06dd46c327bf33"),
            Map.entry("V2__log_email_event.sql", "3d78190004525a174b0dac2aef348142a37ca4468a25d910ae774a511be3f504"),
            Map.entry("V3__email_timeline.sql", "a068b9e33a51701635dff85efbf2a5d8ae1d5b397fd6fad8baf776ad882955d2"),
            Map.entry("V4__retention.sql", "ab6fc0a47d161f083cc577ff3081a0874f3211ce27948a454fe837c3cc25bf20"),
            Map.entry("V5__partitioned_log.sql", "733b0ec9c3eeccaa18c97d88180fbda5614a0caf40982cbe0b2a73d97974b0ad"),
            Map.entry("V6__activity_rollup.sql", "1b95cb35ccd395fd6f422fe1aa06e45ff8b350d69b3e4fdfd94719eef2becc59"),
            Map.entry("V7__maintenance.sql", "0f248d4c45c3099c37ffbe15df5f46e2efc3673ea7db76633f14413db826cf65"),
            Map.entry("V8__retention_by_partition.sql", "26e30ec0d0af40834a1aae500c9f4bdc311c34895b7e791e324e9bd681a3849c"),
            Map.entry("V10__integrity_digests.sql", "eac43b749252e0c11c32ed2e297c038fe79654e091a4f63c8e4acf8db232a418"),
            Map.entry("V11__digest_entries_uncompressed.sql", "4019ba77416d01aececdf816c42f2b278c4485957438e0463cb1e19c0437b8ed"),
            Map.entry("V12__retention_timing.sql", "5a9a98d13ade658224a0eb562cff14154a19f06c63fce9e6ca2944e585c1172c"),
            Map.entry("V13__trace_columns.sql", "f899f368f1977bf56c1da7acec24e0e9a210d67d3824bcac0be16915e744c417"),
            Map.entry("V14__signed_encoding_version.sql", "0c53d597bdd295773b1c11d2ca209104210869600322a72c04cd257b8e5d0d30"),
            Map.entry("V16__log_email_event_trace.sql", "531a11a4a8fc1a2c6d3df25336859e57d1a9a21f7db97bb61488bf45db4ae5cc"),
            Map.entry("V17__created_by_index.sql", "84b0bd014c61d4267dfd3356e4aa6d798d17c72b459431d4a8c1f5d10737e228"),
            Map.entry("V18__hot_cold_partitions.sql", "8fad959f8748ffa67acbf6225377511038eb4a6e6b129f588467aa5cbfcf3548"),
            Map.entry("V19__signed_retention.sql", "10b178445b8134273fa387a69a102ac039540531fd0f71f793ac250bbca4980b"),
            Map.entry("V20__fewer_partitions.sql", "3873d7929f9d9f1ff9220e3211c203f464e3a02c34bf35d8019f091d73f78982"));

    @Test
    void everyLandedMigrationIsStillThereUnchanged() throws Exception {
        Map<String, String> present = checksums();
        Map<String, String> expected = new TreeMap<>(LANDED);
        Map<String, String> actual = new TreeMap<>();
        LANDED.keySet().forEach(name -> actual.put(name, present.getOrDefault(name, "missing")));
        assertThat(actual)
                .as("landed migrations are frozen: change the schema with a new version instead")
                .isEqualTo(expected);
    }

    @Test
    void aNewMigrationComesAfterEveryLandedOne() throws Exception {
        int lastLanded = LANDED.keySet().stream().mapToInt(LandedMigrationsTest::version).max().orElseThrow();
        for (String name : checksums().keySet()) {
            if (!LANDED.containsKey(name)) {
                assertThat(version(name))
                        .as("%s must be numbered after the last landed migration V%d", name, lastLanded)
                        .isGreaterThan(lastLanded);
            }
        }
    }

    /** The major version of a Flyway file name: V14_1__x.sql is 14. */
    private static int version(String name) {
        return Integer.parseInt(name.substring(1, name.indexOf("__")).split("[._]")[0]);
    }

    private static Map<String, String> checksums() throws IOException, URISyntaxException, NoSuchAlgorithmException {
        Path dir = Path.of(LandedMigrationsTest.class.getClassLoader().getResource(LOCATION).toURI());
        Map<String, String> sums = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.getFileName().toString().startsWith("V"))::iterator) {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                try (InputStream in = Files.newInputStream(file)) {
                    sums.put(file.getFileName().toString(), HexFormat.of().formatHex(sha.digest(in.readAllBytes())));
                }
            }
        }
        return sums;
    }
}
