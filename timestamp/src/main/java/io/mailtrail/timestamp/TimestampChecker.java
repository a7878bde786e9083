package io.mailtrail.timestamp;

import io.mailtrail.core.integrity.Checkpoint;
import io.mailtrail.core.integrity.Finding;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.tsp.TimeStampTokenInfo;

/**
 * Checks the RFC 3161 time stamps beside a checkpoint file, offline: each token parses, covers the
 * SHA-256 of its checkpoint's signed bytes, is signed by the time-stamping certificate it carries
 * (or by the pinned one), and is dated no earlier than the checkpoint's sealed-at minus
 * {@link #CLOCK_SKEW}. With a pinned TSA certificate every checkpoint must carry a time stamp.
 */
public final class TimestampChecker {

    /** How far the sealer's clock may run ahead of the TSA's. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final X509CertificateHolder pinned;

    public TimestampChecker(X509CertificateHolder pinned) {
        this.pinned = pinned;
    }

    /** The PEM or DER certificate in {@code file}, for {@code --tsa-cert}. */
    public static X509CertificateHolder readCertificate(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(in);
            return new X509CertificateHolder(certificate.getEncoded());
        } catch (CertificateException e) {
            throw new IOException(file + " is not an X.509 certificate (PEM or DER): " + e.getMessage(), e);
        }
    }

    public List<Finding> check(List<Checkpoint> checkpoints, List<TimestampFile.Entry> entries) {
        List<Finding> findings = new ArrayList<>();
        Set<Long> stamped = new HashSet<>();
        for (TimestampFile.Entry entry : entries) {
            String where = "time stamp line " + entry.lineNumber();
            if (entry.malformed() != null) {
                findings.add(new Finding(Finding.Kind.BAD_TIMESTAMP, -1, where + ": " + entry.malformed()));
                continue;
            }
            List<Checkpoint> named = checkpoints.stream().filter(c -> c.seq() == entry.seq()).toList();
            if (named.isEmpty()) {
                findings.add(new Finding(Finding.Kind.TIMESTAMP_MISMATCH, -1, where + " names checkpoint "
                        + entry.seq() + ", which the checkpoint file does not hold"));
                continue;
            }
            Finding problem = null;
            for (Checkpoint checkpoint : named) {
                problem = check(checkpoint, entry.token(), where);
                if (problem == null) {
                    break;
                }
            }
            if (problem == null) {
                stamped.add(entry.seq());
            } else {
                findings.add(problem);
            }
        }
        if (pinned != null) {
            for (Checkpoint checkpoint : checkpoints) {
                if (!stamped.contains(checkpoint.seq())) {
                    findings.add(new Finding(Finding.Kind.MISSING_TIMESTAMP, -1, "checkpoint " + checkpoint.seq()
                            + " has no valid time stamp"));
                }
            }
        }
        return findings;
    }

    /** The problem with {@code encoded} as the time stamp of {@code checkpoint}, or null when it holds. */
    private Finding check(Checkpoint checkpoint, byte[] encoded, String where) {
        String about = where + " (checkpoint " + checkpoint.seq() + ")";
        TimeStampToken token;
        try {
            token = new TimeStampToken(new CMSSignedData(encoded));
        } catch (Exception e) {
            return bad(about + ": not a time-stamp token: " + e.getMessage());
        }
        TimeStampTokenInfo info = token.getTimeStampInfo();
        if (!TSPAlgorithms.SHA256.equals(info.getMessageImprintAlgOID())
                || !Arrays.equals(info.getMessageImprintDigest(), TimestampAuthority.sha256(checkpoint.signedBytes()))) {
            return new Finding(Finding.Kind.TIMESTAMP_MISMATCH, -1, about
                    + ": its message imprint is not the SHA-256 of the checkpoint's signed bytes");
        }
        X509CertificateHolder signer = pinned != null ? pinned : embeddedSigner(token);
        if (signer == null) {
            return bad(about + ": the token carries no certificate of its signer (give verify --tsa-cert)");
        }
        try {
            token.validate(new JcaSimpleSignerInfoVerifierBuilder().build(signer));
        } catch (Exception e) {
            return bad(about + ": its signature does not verify with " + (pinned != null
                    ? "the pinned TSA certificate " + pinned.getSubject() : "its certificate " + signer.getSubject())
                    + ": " + e.getMessage());
        }
        Instant stampedAt = info.getGenTime().toInstant();
        Instant sealedAt = checkpoint.sealedAt().toInstant(ZoneOffset.UTC);
        if (stampedAt.isBefore(sealedAt.minus(CLOCK_SKEW))) {
            return new Finding(Finding.Kind.TIMESTAMP_MISMATCH, -1, about + ": stamped at " + stampedAt
                    + ", before the checkpoint claims to be sealed (" + sealedAt + ")");
        }
        return null;
    }

    private static X509CertificateHolder embeddedSigner(TimeStampToken token) {
        Collection<X509CertificateHolder> matches = token.getCertificates().getMatches(token.getSID());
        return matches.isEmpty() ? null : matches.iterator().next();
    }

    private static Finding bad(String detail) {
        return new Finding(Finding.Kind.BAD_TIMESTAMP, -1, detail);
    }
}
