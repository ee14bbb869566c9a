package org.hubsso.it;

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
 * A loopback TCP proxy the test controls, between a server under test and a real service (PostgreSQL): while it is
 * {@linkplain #cut() cut}, the service looks gone to the server (every connection closed, new ones refused), as
 * when the database stops; {@linkplain #restore() restored}, connections pass again. The real service never stops.
 */
final class TcpProxy implements AutoCloseable {

    private final InetSocketAddress target;
    private final int port;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile ServerSocket listener;

    TcpProxy(String targetHost, int targetPort, int port) throws IOException {
        this.target = new InetSocketAddress(targetHost, targetPort);
        this.port = port;
        restore();
    }

    int port() {
        return port;
    }

    /** The service looks gone: open connections are closed, new ones refused. */
    synchronized void cut() throws IOException {
        ServerSocket l = listener;
        listener = null;
        if (l != null) {
            l.close();
        }
        for (Socket s : open) {
            s.close();
        }
        open.clear();
    }

    /** The service is back. */
    synchronized void restore() throws IOException {
        if (listener != null) {
            return;
        }
        ServerSocket l = new ServerSocket();
        l.setReuseAddress(true);
        l.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        listener = l;
        Thread accept = new Thread(() -> accept(l), "tcp-proxy-" + port);
        accept.setDaemon(true);
        accept.start();
    }

    private void accept(ServerSocket l) {
        while (!l.isClosed()) {
            try {
                Socket client = l.accept();
                Socket server = new Socket();
                server.connect(target, 3000);
                open.add(client);
                open.add(server);
                pump(client, server);
                pump(server, client);
            } catch (IOException closed) {
                // the listener was closed (cut) or the service refused: the next accept decides
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException ended) {
                // one side closed
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // already closed
                }
                open.remove(from);
                open.remove(to);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        cut();
    }
}
