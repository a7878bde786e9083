package io.mailtrail.timestamp;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;

/**
 * A real RFC 3161 timestamp authority for tests: a self-signed EC certificate with the critical
 * id-kp-timeStamping extended key usage, BouncyCastle's response generator, served over HTTP on
 * 127.0.0.1 (application/timestamp-query in, application/timestamp-reply out).
 */
public final class TestTimestampAuthority implements AutoCloseable {

    private final X509Certificate certificate;
    private final TimeStampResponseGenerator responses;
    private final HttpServer server;
    private final AtomicLong serial = new AtomicLong(1);
    private final AtomicLong granted = new AtomicLong();
    private volatile boolean outOfService;

    public TestTimestampAuthority(String name) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair pair = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=" + name);
        long now = System.currentTimeMillis();
        X509CertificateHolder holder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(now), new Date(now
                - 86_400_000L), new Date(now + 86_400_000L), subject, pair.getPublic())
                .addExtension(Extension.extendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
        certificate = new JcaX509CertificateConverter().getCertificate(holder);
        TimeStampTokenGenerator tokens = new TimeStampTokenGenerator(
                new JcaSimpleSignerInfoGeneratorBuilder().build("SHA256withECDSA", pair.getPrivate(), certificate),
                new JcaDigestCalculatorProviderBuilder().build()
                        .get(new DefaultDigestAlgorithmIdentifierFinder().find("SHA-256")),
                new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"));
        tokens.addCertificates(new JcaCertStore(List.of(certificate)));
        responses = new TimeStampResponseGenerator(tokens, TSPAlgorithms.ALLOWED);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/tsa", exchange -> {
            try (exchange) {
                if (outOfService) {
                    exchange.sendResponseHeaders(503, -1);
                    return;
                }
                if (!"application/timestamp-query".equals(exchange.getRequestHeaders().getFirst("Content-Type"))) {
                    exchange.sendResponseHeaders(415, -1);
                    return;
                }
                byte[] reply;
                try {
                    TimeStampRequest request = new TimeStampRequest(exchange.getRequestBody().readAllBytes());
                    reply = responses.generate(request, BigInteger.valueOf(serial.getAndIncrement()), new Date())
                            .getEncoded();
                } catch (Exception e) {
                    exchange.sendResponseHeaders(400, -1);
                    return;
                }
                granted.incrementAndGet();
                exchange.getResponseHeaders().set("Content-Type", "application/timestamp-reply");
                exchange.sendResponseHeaders(200, reply.length);
                try (OutputStream body = exchange.getResponseBody()) {
                    body.write(reply);
                }
            }
        });
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/tsa");
    }

    /** While true, every request is answered HTTP 503, as by an authority that is down for maintenance. */
    public void outOfService(boolean down) {
        outOfService = down;
    }

    /** Time stamps this authority has granted. */
    public long granted() {
        return granted.get();
    }

    /** The certificate as a PEM file, for verify --tsa-cert. */
    public Path writeCertificate(Path file) throws Exception {
        String base64 = Base64.getMimeEncoder(64, new byte[] {(byte) 10}).encodeToString(certificate.getEncoded());
        return Files.writeString(file, "-----BEGIN CERTIFICATE-----\n" + base64 + "\n-----END CERTIFICATE-----\n");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
