package io.mailtrail.core.integrity;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What verify checks against evidence kept outside the database: every checkpoint of a file must
 * be signed by a known key and name a digest the chain still holds unchanged, and a head pinned
 * by an auditor ({@code --expect-head}) must still be in the chain. A rewrite of history that
 * re-signs the chain with the genuine key passes every check inside the database; these are what
 * it cannot pass.
 */
final class ChainAnchors {

    private ChainAnchors() {
    }

    static List<Finding> check(Connection connection, List<Checkpoint> checkpoints, ChainHead expectedHead,
            Map<String, IntegrityKeys.VerifyingKey> keys) throws SQLException {
        List<Finding> findings = new ArrayList<>();
        for (Checkpoint checkpoint : checkpoints) {
            IntegrityKeys.VerifyingKey key = keys.get(checkpoint.keyId());
            if (key == null) {
                findings.add(new Finding(Finding.Kind.BAD_CHECKPOINT, -1, checkpoint + " is signed by key id "
                        + checkpoint.keyId() + ", which is not among the public keys given"));
                continue;
            }
            if (!checkpoint.signatureValidWith(key.publicKey())) {
                findings.add(new Finding(Finding.Kind.BAD_CHECKPOINT, -1, checkpoint
                        + ": signature does not verify with key " + checkpoint.keyId() + " (the file was edited)"));
                continue;
            }
            Digest stored = DigestStore.bySeq(connection, checkpoint.seq());
            if (!checkpoint.names(stored)) {
                findings.add(new Finding(Finding.Kind.CHECKPOINT_NOT_IN_CHAIN, -1, checkpoint + " is not in the chain: "
                        + describe(stored, checkpoint.seq()) + " (history rewritten or truncated after it)"));
            }
        }
        if (expectedHead != null) {
            Digest stored = DigestStore.bySeq(connection, expectedHead.seq());
            if (!expectedHead.names(stored)) {
                findings.add(new Finding(Finding.Kind.HEAD_NOT_IN_CHAIN, -1, "the expected head "
                        + expectedHead.line() + " is not in the chain: " + describe(stored, expectedHead.seq())));
            }
        }
        return findings;
    }

    private static String describe(Digest stored, long seq) {
        return stored == null ? "digest " + seq + " is missing"
                : "digest " + seq + " now has hash " + Verifier.hex(stored.digestHash()) + " and window end "
                        + stored.windowEnd();
    }
}
