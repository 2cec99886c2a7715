package dev.dualwrite.target.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Plain sockets with Nagle's algorithm off ({@code TCP_NODELAY}). OkHttp leaves it on, so a request written in two
 * segments (headers, then body) waits for the first segment's acknowledgement, which the receiver may delay by up to
 * 40 ms: that alone put tens of milliseconds on the relay's deliveries. TLS sockets are layered over these. Stateless.
 */
public final class NoDelaySocketFactory extends SocketFactory {
  private final SocketFactory sockets = SocketFactory.getDefault();

  @Override
  public Socket createSocket() throws IOException {
    return noDelay(sockets.createSocket());
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return noDelay(sockets.createSocket(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return noDelay(sockets.createSocket(host, port, localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return noDelay(sockets.createSocket(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return noDelay(sockets.createSocket(address, port, localAddress, localPort));
  }

  private static Socket noDelay(Socket socket) throws IOException {
    socket.setTcpNoDelay(true);
    return socket;
  }
}
