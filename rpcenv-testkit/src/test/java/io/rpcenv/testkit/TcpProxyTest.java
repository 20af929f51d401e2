package io.rpcenv.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy forwards, records and breaks connections as asked. */
class TcpProxyTest {
  private ServerSocket echo;
  private TcpProxy proxy;

  /** What the target received on each connection, as strings, and "EOF" when one ended. */
  private final BlockingQueue<String> targetSaw = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() throws IOException {
    echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor =
        new Thread(
            () -> {
              while (!echo.isClosed()) {
                try {
                  Socket s = echo.accept();
                  Thread t = new Thread(() -> serve(s));
                  t.setDaemon(true);
                  t.start();
                } catch (IOException closed) {
                  return;
                }
              }
            });
    acceptor.setDaemon(true);
    acceptor.start();
    proxy = TcpProxy.start("127.0.0.1", echo.getLocalPort());
  }

  private void serve(Socket s) {
    try (s;
        InputStream in = s.getInputStream()) {
      byte[] buf = new byte[1024];
      int n;
      while ((n = in.read(buf)) >= 0) {
        targetSaw.add(new String(buf, 0, n, StandardCharsets.US_ASCII));
        s.getOutputStream().write(buf, 0, n);
      }
      targetSaw.add("EOF");
    } catch (IOException e) {
      targetSaw.add("EOF");
    }
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    echo.close();
  }

  private Socket connect() throws IOException {
    Socket s = new Socket("127.0.0.1", proxy.port());
    s.setSoTimeout(20_000);
    return s;
  }

  private static String read(Socket s, int n) throws IOException {
    byte[] b = s.getInputStream().readNBytes(n);
    return new String(b, StandardCharsets.US_ASCII);
  }

  @Test
  void forwardsBothWaysAndRecordsEveryByte() throws Exception {
    try (Socket s = connect()) {
      s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
      assertThat(read(s, 5)).isEqualTo("hello");
    }
    assertThat(new String(proxy.recorded(TcpProxy.Direction.TO_TARGET), StandardCharsets.US_ASCII))
        .isEqualTo("hello");
    assertThat(
            new String(proxy.recorded(TcpProxy.Direction.FROM_TARGET), StandardCharsets.US_ASCII))
        .isEqualTo("hello");
  }

  @Test
  void aBlackholeDropsBytesSilentlyUntilPassIsCalled() throws Exception {
    try (Socket s = connect()) {
      s.getOutputStream().write("a".getBytes(StandardCharsets.US_ASCII));
      assertThat(read(s, 1)).isEqualTo("a");
      proxy.blackhole();
      s.getOutputStream().write("lost".getBytes(StandardCharsets.US_ASCII));
      s.setSoTimeout(300);
      assertThatThrownBy(() -> s.getInputStream().read())
          .isInstanceOf(SocketTimeoutException.class);
      assertThat(proxy.openConnections()).isEqualTo(1);
      proxy.pass();
      s.setSoTimeout(20_000);
      s.getOutputStream().write("b".getBytes(StandardCharsets.US_ASCII));
      assertThat(read(s, 1)).isEqualTo("b"); // "lost" never arrives
    }
  }

  @Test
  void closeAfterForwardsExactlySoManyBytesThenClosesBothSides() throws Exception {
    try (Socket s = connect()) {
      s.getOutputStream().write("x".getBytes(StandardCharsets.US_ASCII));
      assertThat(read(s, 1)).isEqualTo("x");
      assertThat(targetSaw.poll(20, TimeUnit.SECONDS)).isEqualTo("x");
      proxy.closeAfter(TcpProxy.Direction.TO_TARGET, 3);
      s.getOutputStream().write("0123456789".getBytes(StandardCharsets.US_ASCII));
      StringBuilder got = new StringBuilder();
      String part = targetSaw.poll(20, TimeUnit.SECONDS);
      while (!"EOF".equals(part)) {
        got.append(part);
        part = targetSaw.poll(20, TimeUnit.SECONDS);
      }
      assertThat(got.toString()).isEqualTo("012");
    }
  }

  @Test
  void resetAllResetsOpenConnectionsAndRefuseNewResetsNewOnes() throws Exception {
    try (Socket s = connect()) {
      s.getOutputStream().write("x".getBytes(StandardCharsets.US_ASCII));
      assertThat(read(s, 1)).isEqualTo("x");
      proxy.resetAll();
      assertThatThrownBy(
              () -> {
                s.getOutputStream().write("y".getBytes(StandardCharsets.US_ASCII));
                s.getInputStream().read();
                s.getInputStream().read();
              })
          .isInstanceOf(SocketException.class);
    }
    proxy.refuseNew(true);
    try (Socket s = connect()) {
      int r;
      try {
        r = s.getInputStream().read();
      } catch (SocketException reset) {
        r = -2;
      }
      assertThat(r).as("refused: reset or end of stream, no data").isLessThan(0);
    }
    assertThat(proxy.acceptTimes()).hasSize(2);
  }
}
