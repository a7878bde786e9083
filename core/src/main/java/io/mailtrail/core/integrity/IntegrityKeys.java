package io.mailtrail.core.integrity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;

/**
 * Ed25519 key pairs for sealing, from the JDK alone. Private keys are PKCS#8 PEM ("PRIVATE KEY"),
 * public keys X.509 PEM ("PUBLIC KEY"). A key's id is the first 8 bytes of the SHA-256 of its
 * public key, in hex: every digest names the id of the key that signed it, so keys can be rotated
 * and old digests still verify with the old public key.
 *
 * <p>Nothing here logs or prints key material; error messages name the file or variable only.
 */
public final class IntegrityKeys {

    /** File names {@link #writeKeyPair} uses inside the target directory. */
    public static final String PRIVATE_KEY_FILE = "mailtrail-signing.key";
    public static final String PUBLIC_KEY_FILE = "mailtrail-signing.pub";

    private static final String ALGORITHM = "Ed25519";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private IntegrityKeys() {
    }

    /** A private key with the id of its public half. */
    public record SigningKey(String keyId, PrivateKey privateKey) {
        public SigningKey {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(privateKey, "privateKey");
        }

        @Override
        public String toString() {
            return "SigningKey[keyId=" + keyId + "]"; // never the key itself
        }
    }

    /** A public key with its id. */
    public record VerifyingKey(String keyId, PublicKey publicKey) {
        public VerifyingKey {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(publicKey, "publicKey");
        }
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JDK cannot generate Ed25519 keys", e);
        }
    }

    /**
     * Writes a new key pair into {@code directory} (created if missing); the private key file is
     * readable by its owner only where the file system supports POSIX permissions. Refuses to
     * overwrite an existing key.
     *
     * @return the new key's id
     */
    public static String writeKeyPair(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path privateFile = directory.resolve(PRIVATE_KEY_FILE);
        Path publicFile = directory.resolve(PUBLIC_KEY_FILE);
        for (Path file : new Path[] {privateFile, publicFile}) {
            if (Files.exists(file)) {
                throw new IOException(file + " already exists; refusing to overwrite a key");
            }
        }
        KeyPair pair = generate();
        if (Files.getFileStore(directory).supportsFileAttributeView(PosixFileAttributeView.class)) {
            // Created with mode 600 in the same system call: never readable by others, not even briefly.
            Files.createFile(privateFile, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            Files.createFile(privateFile); // Windows: the directory's ACL applies
        }
        Files.writeString(privateFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.writeString(publicFile, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        return keyId(pair.getPublic());
    }

    private static boolean notOwnerExecute(PosixFilePermission permission) {
        return permission != PosixFilePermission.OWNER_EXECUTE;
    }

    /** The permissions as ls shows them in octal, e.g. 0644. */
    static String octal(Set<PosixFilePermission> mode) {
        int bits = 0;
        for (PosixFilePermission permission : mode) {
            bits |= 1 << (8 - permission.ordinal()); // OWNER_READ is ordinal 0, the 0400 bit
        }
        return String.format("%04o", bits);
    }

    public static String keyId(PublicKey publicKey) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded());
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a PKCS#8 PEM private key file. As ssh does, refuses a file that its group or others
     * may read, write or execute (any bit of mode 077), naming the mode.
     */
    public static SigningKey readPrivateKey(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IOException("private key file " + file + " does not exist or is not readable");
        }
        if (Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(mode.stream().filter(IntegrityKeys::notOwnerExecute).toList())) {
                throw new IOException("private key file " + file + " has mode " + octal(mode)
                        + ": it is accessible to group or others; refusing to use it (chmod 600 " + file + ")");
            }
        }
        return parsePrivateKey(Files.readString(file, StandardCharsets.US_ASCII), "file " + file);
    }

    /**
     * Reads the private key from an environment variable holding either the PEM text or the bare
     * base64 of the PKCS#8 encoding.
     */
    public static SigningKey privateKeyFromEnvironment(String variable) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("environment variable " + variable
                    + " (private key) is not set");
        }
        return parsePrivateKey(value, "environment variable " + variable);
    }

    /** Reads an X.509 PEM public key file. */
    public static VerifyingKey readPublicKey(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IOException("public key file " + file + " does not exist or is not readable");
        }
        try {
            byte[] der = decodePem(Files.readString(file, StandardCharsets.US_ASCII));
            PublicKey key = KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
            return new VerifyingKey(keyId(key), key);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("public key file " + file + " is not an Ed25519 public key in PEM", e);
        }
    }

    static SigningKey parsePrivateKey(String text, String source) {
        try {
            byte[] der = decodePem(text);
            PrivateKey key = KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
            return new SigningKey(keyId(publicKeyOf((EdECPrivateKey) key)), key);
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            // The cause's message could quote the input: keep it out.
            throw new IllegalArgumentException(source + " does not hold an Ed25519 private key in PKCS#8 PEM");
        }
    }

    /**
     * The public half of an Ed25519 private key. The JDK has no derivation call, but its key pair
     * generator takes the 32-byte private seed from the random source it is given, so a source
     * that returns exactly that seed regenerates the same pair (RFC 8032: the public key is a
     * function of the seed).
     */
    static PublicKey publicKeyOf(EdECPrivateKey privateKey) throws GeneralSecurityException {
        byte[] seed = privateKey.getBytes().orElseThrow(() -> new GeneralSecurityException("no key bytes"));
        KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
        generator.initialize(255, new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
            }
        });
        KeyPair pair = generator.generateKeyPair();
        if (!MessageDigest.isEqual(((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow(), seed)) {
            throw new GeneralSecurityException("could not derive the public key");
        }
        return pair.getPublic();
    }

    private static byte[] decodePem(String text) {
        StringBuilder base64 = new StringBuilder();
        for (String line : text.split("\\R")) {
            String trimmed = line.trim();
            if (!trimmed.isEmpty() && !trimmed.startsWith("-----")) {
                base64.append(trimmed);
            }
        }
        return Base64.getDecoder().decode(base64.toString());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
