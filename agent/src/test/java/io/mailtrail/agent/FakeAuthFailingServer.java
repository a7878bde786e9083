package io.mailtrail.agent;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Speaks just enough of the PostgreSQL protocol to refuse a password: asks for it in clear text
 * and answers {@code 28P01 password authentication failed}. The local server trusts every
 * connection, so a real wrong password can not be tested against it.
 */
final class FakeAuthFailingServer implements AutoCloseable {

    private static final int SSL_REQUEST = 80877103;
    private static final int GSS_REQUEST = 80877104;

    private final ServerSocket server;
    final AtomicInteger passwordsReceived = new AtomicInteger();

    FakeAuthFailingServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(this::serve, "fake-postgres");
        thread.setDaemon(true);
        thread.start();
    }

    String url() {
        return "jdbc:postgresql://127.0.0.1:" + server.getLocalPort() + "/hub";
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                socket.setSoTimeout(5000);
                handle(new DataInputStream(socket.getInputStream()), new DataOutputStream(socket.getOutputStream()));
            } catch (IOException e) {
                // next connection
            }
        }
    }

    private void handle(DataInputStream in, DataOutputStream out) throws IOException {
        while (true) {
            int length = in.readInt();
            int code = in.readInt();
            in.skipNBytes(length - 8);
            if (code == SSL_REQUEST || code == GSS_REQUEST) {
                out.write('N');
                out.flush();
                continue;
            }
            break; // the startup message
        }
        out.write('R');
        out.writeInt(8);
        out.writeInt(3); // AuthenticationCleartextPassword
        out.flush();
        if (in.readByte() == 'p') {
            in.skipNBytes(in.readInt() - 4);
            passwordsReceived.incrementAndGet();
        }
        ByteArrayOutputStream fields = new ByteArrayOutputStream();
        field(fields, 'S', "FATAL");
        field(fields, 'V', "FATAL");
        field(fields, 'C', "28P01");
        field(fields, 'M', "password authentication failed for user \"mailtrail\"");
        fields.write(0);
        out.write('E');
        out.writeInt(4 + fields.size());
        out.write(fields.toByteArray());
        out.flush();
    }

    private static void field(ByteArrayOutputStream out, char type, String value) {
        out.write(type);
        out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        out.write(0);
    }
}
