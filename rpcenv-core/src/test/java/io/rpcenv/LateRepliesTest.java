package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rpcenv.testkit.Resources;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Replies to asks that timed out are summed up in the log, not logged one line each. */
class LateRepliesTest {
  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  @Test
  void repliesThatArriveAfterTheirAsksTimedOutMakeOneLineAndASummaryNotOneLineEach()
      throws Exception {
    int asks = 2000;
    RpcEnv server = envs.server("server");
    CountDownLatch allTimedOut = new CountDownLatch(1);
    AtomicInteger answered = new AtomicInteger();
    List<RpcCallContext> held = new ArrayList<>();
    server.setupEndpoint(
        "late",
        Endpoints.replying(
            (m, ctx) -> {
              synchronized (held) {
                held.add(ctx);
                if (held.size() < asks) {
                  return;
                }
              }
              new Thread(
                      () -> {
                        try {
                          allTimedOut.await();
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                        synchronized (held) {
                          held.forEach(
                              c -> {
                                c.reply("late");
                                answered.incrementAndGet();
                              });
                        }
                      })
                  .start();
            }));
    RpcEnv client = envs.client("client");
    RpcEndpointRef ref = client.setupEndpointRef(server.address(), "late");
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      RpcTimeout short_ = new RpcTimeout(Duration.ofMillis(300), "the test's ask timeout");
      List<CompletableFuture<Object>> futures = new ArrayList<>();
      for (int i = 0; i < asks; i++) {
        futures.add(ref.ask(i, short_));
      }
      for (CompletableFuture<Object> f : futures) {
        try {
          f.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException expected) {
          assertThat(expected.getCause()).isInstanceOf(RpcTimeoutException.class);
        }
      }
      allTimedOut.countDown();
      await().atMost(Duration.ofSeconds(20)).until(() -> answered.get() == asks);
      // the replies are on their way; closing the client reports what it counted
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                client.shutdown();
                client.awaitTermination(Duration.ofSeconds(20));
                String log = captured.toString(StandardCharsets.UTF_8);
                List<String> lines =
                    log.lines()
                        .filter(
                            l ->
                                l.contains("no longer outstanding")
                                    || l.contains("more replies and failures"))
                        .toList();
                assertThat(lines).hasSizeBetween(2, 4);
                assertThat(lines.get(0))
                    .contains("Ignoring reply for ask #", "no longer outstanding");
                long summed = 1;
                Matcher m = Pattern.compile("Ignored (\\d+) more replies").matcher(log);
                while (m.find()) {
                  summed += Long.parseLong(m.group(1));
                }
                assertThat(summed).isLessThanOrEqualTo(asks).isGreaterThan(1);
              });
    } finally {
      System.setErr(err);
    }
  }
}
