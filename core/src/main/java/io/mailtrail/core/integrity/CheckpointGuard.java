package io.mailtrail.core.integrity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The sealer's side of checkpoints: before sealing, the database's chain must still hold the last
 * checkpoint this sealer wrote to its file; after sealing, the new head is appended. A sealer that
 * sealed on after a rewrite would sign the rewritten chain with the genuine key, and nothing in
 * the database could tell.
 */
final class CheckpointGuard {

    private final CheckpointFile file;
    private final IntegrityKeys.SigningKey key;
    private final PublicKey publicKey;

    CheckpointGuard(CheckpointFile file, IntegrityKeys.SigningKey key) {
        this.file = file;
        this.key = key;
        try {
            this.publicKey = IntegrityKeys.publicKeyOf((EdECPrivateKey) key.privateKey());
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("the signing key's public half cannot be derived", e);
        }
    }

    /** Throws {@link ChainRewrittenException} naming what is missing; reads in the caller's transaction. */
    void requireLastCheckpointInChain(Connection connection) throws SQLException {
        Checkpoint last = lastCheckpoint();
        if (last == null) {
            return; // a new file: it starts with the head after this run
        }
        if (last.keyId().equals(key.keyId()) && !last.signatureValidWith(publicKey)) {
            throw new ChainRewrittenException("the last checkpoint in " + file + " (seq " + last.seq()
                    + ") does not carry a valid signature of key " + key.keyId() + ": the file was edited;"
                    + " sealing nothing");
        }
        Digest stored = DigestStore.bySeq(connection, last.seq());
        if (!last.names(stored)) {
            throw new ChainRewrittenException("the database's chain no longer holds checkpoint " + last.seq()
                    + " (digest hash " + Verifier.hex(last.digestHash()) + ", window end " + last.windowEnd()
                    + ") from " + file + ": " + (stored == null ? "digest " + last.seq() + " is missing"
                            : "digest " + last.seq() + " now has hash " + Verifier.hex(stored.digestHash())
                                    + " and window end " + stored.windowEnd())
                    + ". The chain was rewritten or truncated; sealing nothing until it is restored or"
                    + " investigated (mailtrail verify --checkpoints " + file + ")");
        }
    }

    /** Appends the chain's current head unless the file already ends with it. */
    void appendHead(Connection connection) throws SQLException {
        Digest head = DigestStore.last(connection);
        if (head == null) {
            return;
        }
        Checkpoint last = lastCheckpoint();
        if (last != null && last.names(head)) {
            return;
        }
        file.append(Checkpoint.of(head, key));
    }

    private Checkpoint lastCheckpoint() {
        try {
            return file.last();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint file " + file + ": " + e.getMessage(), e);
        }
    }
}
