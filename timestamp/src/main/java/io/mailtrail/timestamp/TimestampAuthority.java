package io.mailtrail.timestamp;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;

/**
 * An RFC 3161 timestamp authority reached over HTTP (RFC 3161 section 3.4): it POSTs an
 * {@code application/timestamp-query} with a SHA-256 message imprint and a nonce, and returns the
 * token of a granted {@code application/timestamp-reply} whose imprint and nonce match the request.
 */
public final class TimestampAuthority {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI url;
    private final HttpClient http;
    private final SecureRandom random = new SecureRandom();

    public TimestampAuthority(URI url) {
        this.url = url;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    /** The DER token over the SHA-256 of {@code data}; an IOException names the TSA and what went wrong. */
    public byte[] timestamp(byte[] data) throws IOException, InterruptedException {
        TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
        generator.setCertReq(true);
        TimeStampRequest request = generator.generate(TSPAlgorithms.SHA256, sha256(data),
                new BigInteger(64, random));
        HttpResponse<byte[]> reply;
        try {
            reply = http.send(HttpRequest.newBuilder(url).timeout(TIMEOUT)
                    .header("Content-Type", "application/timestamp-query")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request.getEncoded())).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IOException("timestamp authority " + url + " could not be reached: " + e, e);
        }
        if (reply.statusCode() != 200) {
            throw new IOException("timestamp authority " + url + " answered HTTP " + reply.statusCode());
        }
        try {
            TimeStampResponse response = new TimeStampResponse(reply.body());
            response.validate(request);
            if (response.getTimeStampToken() == null) {
                throw new TSPException("no token (status " + response.getStatus() + ": "
                        + response.getStatusString() + ")");
            }
            return response.getTimeStampToken().getEncoded();
        } catch (TSPException | IOException | RuntimeException e) {
            throw new IOException("timestamp authority " + url + " gave no usable time stamp: " + e.getMessage(), e);
        }
    }

    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return url.toString();
    }
}
