package io.mailtrail.core.integrity;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/** Signing and checking bytes with Ed25519 (JDK); what is signed is the caller's encoding. */
final class Ed25519 {

    private Ed25519() {
    }

    static byte[] sign(byte[] message, PrivateKey key) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update(message);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not sign with the private key: " + e.getClass().getSimpleName(), e);
        }
    }

    static boolean valid(byte[] message, byte[] signature, PublicKey key) {
        if (signature == null) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a malformed signature is a bad signature
        }
    }
}
