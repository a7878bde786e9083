package io.mailtrail.core.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailtrail.testsupport.MailtrailDatabase;
import io.mailtrail.testsupport.TestDatabase;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fixed test vectors of the signed formats (docs/integrity.md, "Signed formats"), computed
 * outside Mailtrail from the documented layout (Python's hashlib and the cryptography package's
 * Ed25519): known rows give known row hashes in both encoding versions, known entries a known
 * entries hash, a known digest known signed bytes, digest hash and signature. A change of any of
 * these is a change of format: it needs a new version, never an edit of the old one.
 */
@MailtrailDatabase
class SignedFormatVectorsTest {

    static final HexFormat HEX = HexFormat.of();
    static final LocalDateTime CREATED = LocalDateTime.of(2026, 5, 1, 12, 0, 0, 1_000);
    /** The Ed25519 key whose 32-byte seed is 00 01 02 .. 1f (PKCS#8 DER). */
    static final String VECTOR_KEY_PKCS8 =
            "302e020100300506032b657004220420000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    static final String VECTOR_KEY_ID = "a050837d85070582";

    static final String V1_FULL = "33c7182f74cfe436d21a088fbe77958f9aca87d4343f4697bfe42caa4c9d0727";
    static final String V1_NULLS = "cc45c247b998a1cd447b84ad049e97e90ae3f1200e5fa04a8e99f4da67a12775";
    static final String V2_FULL = "bd758c702dee510ea733d4be4a013b80ff230cb7c6d2f3b670c4be336afd389e";
    static final String V2_NULLS = "869658a7c2b197c2b276573cdd61ddb303394b4deb327015fedcfdcc7aa66e18";
    static final String V1_ENTRIES = "0846e2c111c60685acfdefccd555285b8f0b41962615071faede450ad603bb3f";
    static final String V2_ENTRIES = "d1f5b10a00ac43560ffea7a0d5a88d9cd325c8ee641643938b4529cd9979b586";

    static final String V2_PAYLOAD = "6d61696c747261696c2d6469676573742d76320a0002" // magic, encoding version 2
            + "0000000000000007" + "000677696e646f77" // seq 7, kind "window"
            + "000650c05200f000" + "000650c128949400" + "0000000000000002" // window start, end, 2 rows
            + V2_ENTRIES + "ab".repeat(32) // entries hash, previous hash
            + "0010" + HEX.formatHex(VECTOR_KEY_ID.getBytes()) + "000650c14c59bc40"; // key id, sealed at
    static final String V2_DIGEST_HASH = "f791f48edd079812ad2c3209395a356207361a2abe133116bec9f9b8e7ea9abf";
    static final String V2_SIGNATURE = "443c0cf8a39b1d1b3ac60e3607f6396d74afbf8a2354532ccac587226ed161d1"
            + "7fd75e62d2c1cc69d2431e8d170c158a315e7b1ca51754d2ed33b77e82be8604";
    static final String V1_PAYLOAD = "6d61696c747261696c2d6469676573742d76310a"
            + "0000000000000007" + "000677696e646f77" + "000650c05200f000" + "000650c128949400" + "0000000000000002"
            + V1_ENTRIES + "ab".repeat(32) + "0010" + HEX.formatHex(VECTOR_KEY_ID.getBytes()) + "000650c14c59bc40";
    static final String V1_DIGEST_HASH = "259993bbe688645b98421008872d4f428cc137957a2586f350dce5744cfc649a";
    static final String V1_SIGNATURE = "3b624c2e1977eb61e2f93ef49a789e69190ecc941aaac050059da2691f9967a4"
            + "a4ae4aeac9d67ae327edc2335545d322ddb3b4e3d95a11fc0f9b3ca74e579f02";

    /** Retention record 3: purge_email_activity, cutoff 2026-04-01, noted 2026-05-01 03:00:00.5, 1234 rows, two hashes. */
    static final String RETENTION_BYTES = "6d61696c747261696c2d726574656e74696f6e2d76310a" // magic
            + "0000000000000003" + "00000014" + HEX.formatHex("purge_email_activity".getBytes()) // id, procedure
            + "00064e5ac3d80000" + "000650b8c6d7cd20" + "01" + "00000000000004d2" // cutoff, noted at, 1234 rows
            + "00000002" + "00000020" + "ab".repeat(32) + "00000020" + "cd".repeat(32); // two digest hashes
    static final String RETENTION_HASH = "12209f9a0c1666979a85450aab09b355a31930271460228035255f7ffcf61403";
    /** Record 4: the same with a NULL row count and no digest hashes, noted 03:00:00. */
    static final String RETENTION_NULLS_HASH = "e84127abd4c2662fbe4747d750a31120804a7fd540ea365f4a7662f29ef31b66";
    /** Digest 8 of kind retention signing record 3, sealed 2026-05-01 03:10:00. */
    static final String RETENTION_DIGEST_HASH = "e2650c132e137189e8d68bfb2d3f6faf8ed2a5c42c14c1f1eb0aa3232e3d0113";
    static final String RETENTION_SIGNATURE = "24f90e9a864c9a450a2732b136bd356ef0c21470facf38ab68c9a302844706c6"
            + "ce5c9174e6279332b157313f8c4485f9aa67ba0494df5e074f24b4b5f7e8ce03";

    private static final String INSERT = "INSERT INTO email_activity_log (id, email_id, event_type, event_category,"
            + " description, metadata, user_id, created_at, created_by, event_id, trace_id, span_id) VALUES"
            + " (1, 42, 'read', 'user', 'Læst af Åse – 5 €', '{\"b\": [true, null], \"a\": 1}', 7, ?, 'system',"
            + " '00112233-4455-6677-8899-aabbccddeeff', '4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7'),"
            + " (2, -5, 'fetched', 'system', '', NULL, NULL, ?, NULL, 'ffffffff-0000-0000-0000-000000000001',"
            + " NULL, NULL)";

    @Test
    void knownRowsGiveKnownHashesInEveryVersionThroughBothReadPaths(TestDatabase db) throws Exception {
        db.execute("TRUNCATE email_activity_log");
        db.execute(INSERT, CREATED, CREATED);
        for (int version = 1; version <= 2; version++) {
            List<Entry> expected = List.of(entry(1, version == 1 ? V1_FULL : V2_FULL),
                    entry(2, version == 1 ? V1_NULLS : V2_NULLS));
            List<Entry> fromResultSet = new ArrayList<>();
            List<Entry> fromCopy = new ArrayList<>();
            try (Connection connection = db.open()) {
                try (PreparedStatement statement = RowHasher.binary(connection.prepareStatement(DigestStore.windowRows(true, true)))) {
                    statement.setObject(1, CREATED.minusHours(1));
                    statement.setObject(2, CREATED.plusHours(1));
                    try (ResultSet row = statement.executeQuery()) {
                        RowHasher hasher = new RowHasher(version);
                        while (row.next()) {
                            fromResultSet.add(hasher.entryOf(row));
                        }
                    }
                }
                connection.setAutoCommit(false);
                WindowCopy.forEach(connection, CREATED.minusHours(1), CREATED.plusHours(1), new RowHasher(version),
                        fromCopy::add);
                connection.commit();
            }
            assertThat(fromResultSet).as("version %d, result set", version).isEqualTo(expected);
            assertThat(fromCopy).as("version %d, COPY", version).isEqualTo(expected);
        }
    }

    @Test
    void knownEntriesGiveAKnownEntriesHash() {
        for (int version = 1; version <= 2; version++) {
            EntriesDigest entries = new EntriesDigest(version);
            entries.add(entry(1, version == 1 ? V1_FULL : V2_FULL));
            entries.add(entry(2, version == 1 ? V1_NULLS : V2_NULLS));
            assertThat(HEX.formatHex(entries.finish())).as("version %d", version)
                    .isEqualTo(version == 1 ? V1_ENTRIES : V2_ENTRIES);
        }
    }

    @Test
    void aKnownDigestHasKnownSignedBytesHashAndSignature() {
        IntegrityKeys.SigningKey key = vectorKey();
        assertThat(key.keyId()).isEqualTo(VECTOR_KEY_ID);
        for (int version = 1; version <= 2; version++) {
            Digest digest = Digest.sign(7, version, Digest.Kind.WINDOW, LocalDateTime.of(2026, 5, 1, 12, 0),
                    LocalDateTime.of(2026, 5, 1, 13, 0), 2, HEX.parseHex(version == 1 ? V1_ENTRIES : V2_ENTRIES),
                    HEX.parseHex("ab".repeat(32)), key, LocalDateTime.of(2026, 5, 1, 13, 10, 0, 123_456_000));
            assertThat(HEX.formatHex(digest.payload())).isEqualTo(version == 1 ? V1_PAYLOAD : V2_PAYLOAD);
            assertThat(HEX.formatHex(digest.digestHash())).isEqualTo(version == 1 ? V1_DIGEST_HASH : V2_DIGEST_HASH);
            assertThat(HEX.formatHex(digest.signature())).isEqualTo(version == 1 ? V1_SIGNATURE : V2_SIGNATURE);
        }
    }

    @Test
    void aKnownRetentionRecordHasKnownBytesAndHashAndItsDigestAKnownSignature() {
        LocalDateTime cutoff = LocalDateTime.of(2026, 4, 1, 0, 0);
        RetentionRecord record = new RetentionRecord(3, "purge_email_activity", cutoff,
                LocalDateTime.of(2026, 5, 1, 3, 0, 0, 500_000_000), 1234L,
                List.of(HEX.parseHex("ab".repeat(32)), HEX.parseHex("cd".repeat(32))));
        RetentionRecord nulls = new RetentionRecord(4, "purge_email_activity", cutoff,
                LocalDateTime.of(2026, 5, 1, 3, 0), null, List.of());

        assertThat(HEX.formatHex(RetentionEncoding.bytes(record))).isEqualTo(RETENTION_BYTES);
        assertThat(HEX.formatHex(record.hash())).isEqualTo(RETENTION_HASH);
        assertThat(HEX.formatHex(nulls.hash())).isEqualTo(RETENTION_NULLS_HASH);
        Digest digest = Digest.sign(8, 2, Digest.Kind.RETENTION, cutoff, cutoff, 1234, record.hash(),
                HEX.parseHex("ab".repeat(32)), vectorKey(), LocalDateTime.of(2026, 5, 1, 3, 10));
        assertThat(HEX.formatHex(digest.digestHash())).isEqualTo(RETENTION_DIGEST_HASH);
        assertThat(HEX.formatHex(digest.signature())).isEqualTo(RETENTION_SIGNATURE);
    }

    @Test
    void theEncodingVersionIsSigned() {
        IntegrityKeys.SigningKey key = vectorKey();
        Digest v2 = Digest.sign(7, 2, Digest.Kind.WINDOW, LocalDateTime.of(2026, 5, 1, 12, 0),
                LocalDateTime.of(2026, 5, 1, 13, 0), 2, HEX.parseHex(V2_ENTRIES), HEX.parseHex("ab".repeat(32)), key,
                LocalDateTime.of(2026, 5, 1, 13, 10));
        Digest relabelled = new Digest(v2.seq(), 1, v2.kind(), v2.windowStart(), v2.windowEnd(), v2.rowCount(),
                v2.entriesHash(), v2.previousHash(), v2.digestHash(), v2.keyId(), v2.signature(), v2.sealedAt());
        Digest unknown = new Digest(v2.seq(), 3, v2.kind(), v2.windowStart(), v2.windowEnd(), v2.rowCount(),
                v2.entriesHash(), v2.previousHash(), v2.digestHash(), v2.keyId(), v2.signature(), v2.sealedAt());
        java.security.PublicKey publicKey = publicKey(key);
        assertThat(v2.signatureValidWith(publicKey)).isTrue();
        assertThat(relabelled.signatureValidWith(publicKey)).isFalse();
        assertThat(relabelled.hashMatchesContent()).isFalse();
        assertThat(unknown.signatureValidWith(publicKey)).isFalse();
        assertThat(unknown.hashMatchesContent()).isFalse();
    }

    static IntegrityKeys.SigningKey vectorKey() {
        return IntegrityKeys.parsePrivateKey(Base64.getEncoder().encodeToString(HEX.parseHex(VECTOR_KEY_PKCS8)),
                "the test vector key");
    }

    static java.security.PublicKey publicKey(IntegrityKeys.SigningKey key) {
        try {
            return IntegrityKeys.publicKeyOf((java.security.interfaces.EdECPrivateKey) key.privateKey());
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static Entry entry(long id, String sha256) {
        ByteBuffer hash = ByteBuffer.wrap(HEX.parseHex(sha256));
        return new Entry(id, RowHasher.micros(CREATED), hash.getLong(0), hash.getLong(8));
    }
}
