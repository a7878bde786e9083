package io.mailtrail.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy between the writer and PostgreSQL that can turn into a black hole: the
 * connections stay open but no byte is forwarded any more, as when a network path dies
 * silently. New connections are accepted and then starve too. It can also cut the client side
 * of every open connection (the server learns of it only when it next reads or writes) and
 * refuse new connections, to lose a reply that the server has already committed to.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    private volatile boolean blackHole;
    private volatile boolean refuseNew;

    public TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "tcp-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public void blackHole(boolean on) {
        this.blackHole = on;
    }

    /** While on, a new connection is accepted and closed at once, before any byte is forwarded. */
    public void refuseNew(boolean on) {
        this.refuseNew = on;
    }

    /**
     * Closes the client side of every open connection. The server side is closed by its pump
     * once that notices, so a server busy inside a statement finishes it and its reply is lost.
     *
     * @return how many connections were cut
     */
    public int severClients() {
        int severed = 0;
        for (Socket client : clients) {
            if (!client.isClosed()) {
                severed++;
            }
            closeQuietly(client);
        }
        clients.clear();
        return severed;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (refuseNew) {
                    closeQuietly(client);
                    continue;
                }
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2_000);
                sockets.add(client);
                sockets.add(upstream);
                clients.add(client);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                // closed, or the server is down: the client sees its connection fail
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    while (blackHole) {
                        Thread.sleep(20); // swallow the traffic: hold it, forward nothing
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // one side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        closeQuietly(server);
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
