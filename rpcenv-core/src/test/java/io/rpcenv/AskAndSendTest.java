package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.rpcenv.testkit.Resources;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Ask and send, in each topology: same env, server to server, client-mode to server. */
class AskAndSendTest {
  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  record Ping(String text) implements Serializable {}

  static final class NotSerializable {
    @Override
    public String toString() {
      return "NotSerializable";
    }
  }

  static final class CustomFailure extends Exception {
    CustomFailure(String message) {
      super(message);
    }
  }

  /** An exception that cannot cross the wire: it holds a non-serializable field. */
  static final class UnserializableFailure extends RuntimeException {
    final transient Object ok = new Object();
    final NotSerializable field = new NotSerializable();

    UnserializableFailure(String message) {
      super(message);
    }
  }

  /** Serializes fine, but its readObject fails at the receiver. */
  static final class FailsToDeserialize implements Serializable {
    private void readObject(ObjectInputStream in) throws IOException {
      throw new IOException("refusing to be read");
    }
  }

  private RpcEndpointRef deploy(Topology t, RpcEndpoint endpoint) {
    RpcEnv host = envs.server("host");
    RpcEndpointRef local = host.setupEndpoint("target", endpoint);
    RpcEnv caller = t.caller(envs, host, TestEnvs.conf());
    return t.ref(caller, host, local, "target");
  }

  private static Throwable failure(CompletableFuture<?> f) {
    Throwable t = catchThrowable(() -> f.get(20, TimeUnit.SECONDS));
    assertThat(t).isInstanceOf(java.util.concurrent.ExecutionException.class);
    return t.getCause();
  }

  @ParameterizedTest
  @EnumSource(Topology.class)
  void askReturnsTheReply(Topology t) throws Exception {
    RpcEndpointRef ref =
        deploy(t, Endpoints.replying((m, ctx) -> ctx.reply("pong:" + ((Ping) m).text())));
    assertThat(ref.<String>ask(new Ping("a")).get(20, TimeUnit.SECONDS)).isEqualTo("pong:a");
    assertThat(ref.<String>askSync(new Ping("b"))).isEqualTo("pong:b");
  }

  @ParameterizedTest
  @EnumSource(Topology.class)
  void sendDeliversOneWayMessages(Topology t) throws Exception {
    BlockingQueue<Object> got = new LinkedBlockingQueue<>();
    RpcEndpointRef ref = deploy(t, Endpoints.receiving(got::add));
    ref.send(new Ping("one-way"));
    assertThat(got.poll(20, TimeUnit.SECONDS)).isEqualTo(new Ping("one-way"));
  }

  @ParameterizedTest
  @EnumSource(Topology.class)
  void nullMessagesAndNullRepliesAreAllowed(Topology t) {
    RpcEndpointRef ref =
        deploy(t, Endpoints.replying((m, ctx) -> ctx.reply(m == null ? null : "not null")));
    assertThat(ref.<Object>askSync(null)).isNull();
  }

  @ParameterizedTest
  @EnumSource(Topology.class)
  void fastPathTypesRoundTrip(Topology t) {
    RpcEndpointRef ref = deploy(t, Endpoints.echo());
    assertThat(ref.<byte[]>askSync(new byte[] {1, 2, 3})).containsExactly(1, 2, 3);
    assertThat(ref.<String>askSync("héllo ✓")).isEqualTo("héllo ✓");
    assertThat(ref.<Integer>askSync(42)).isEqualTo(42);
    assertThat(ref.<Long>askSync(Long.MIN_VALUE)).isEqualTo(Long.MIN_VALUE);
    assertThat(ref.<Boolean>askSync(false)).isFalse();
    assertThat(ref.<byte[]>askSync(new byte[0])).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Topology.class)
  void largeBodiesArriveIntactInBothDirections(Topology t) throws Exception {
    BlockingQueue<Object> oneWay = new LinkedBlockingQueue<>();
    RpcEndpointRef ref =
        deploy(
            t,
            new RpcEndpoint() {
              @Override
              public void receive(Object message) {
                oneWay.add(message);
              }

              @Override
              public void receiveAndReply(Object message, RpcCallContext context) {
                context.reply(message);
              }
            });
    byte[] bytes = new byte[3 << 20];
    new java.util.Random(7).nextBytes(bytes);
    String text = "ünïcödé ✓ ".repeat(60_000);
    List<String> object = new ArrayList<>();
    for (int i = 0; i < 30_000; i++) {
      object.add("element " + i);
    }
    assertThat(ref.<byte[]>askSync(bytes)).isEqualTo(bytes);
    assertThat(ref.<String>askSync(text)).isEqualTo(text);
    assertThat(ref.<List<String>>askSync(object)).isEqualTo(object);
    ref.send(bytes);
    assertThat((byte[]) oneWay.poll(20, TimeUnit.SECONDS)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @EnumSource(Topology.class)
  void anExceptionThrownByTheEndpointReachesTheAskerWithItsOriginalType(Topology t) {
    RpcEndpointRef ref =
        deploy(
            t,
            Endpoints.replying(
                (m, ctx) -> {
                  throw new IllegalStateException("boom " + m);
                }));
    Throwable e = failure(ref.ask("x"));
    assertThat(e)
        .isInstanceOf(RpcRemoteException.class)
        .hasMessageContaining("failed the ask: java.lang.IllegalStateException: boom x")
        .hasMessageContaining("target");
    assertThat(e.getCause()).isInstanceOf(IllegalStateException.class).hasMessage("boom x");
    RpcRemoteException remote = (RpcRemoteException) e;
    assertThat(remote.remoteClassName()).isEqualTo(IllegalStateException.class.getName());
    assertThat(remote.remoteStackTrace()).contains("boom x").contains("at ");
    // askSync throws the same shape, not a wrapper around it
    assertThatThrownBy(() -> ref.askSync("y"))
        .isInstanceOf(RpcRemoteException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
  }

  @ParameterizedTest
  @EnumSource(Topology.class)
  void sendFailureDeliversACheckedException(Topology t) {
    RpcEndpointRef ref =
        deploy(t, Endpoints.replying((m, ctx) -> ctx.sendFailure(new CustomFailure("nope"))));
    Throwable e = failure(ref.ask("x"));
    assertThat(e).isInstanceOf(RpcRemoteException.class);
    assertThat(e.getCause()).isInstanceOf(CustomFailure.class).hasMessage("nope");
  }

  @ParameterizedTest
  @EnumSource(
      value = Topology.class,
      names = {"REMOTE_SERVER", "REMOTE_CLIENT_MODE"})
  void anUnserializableExceptionArrivesAsClassNameMessageAndStack(Topology t) {
    RpcEndpointRef ref =
        deploy(
            t,
            Endpoints.replying(
                (m, ctx) -> {
                  throw new UnserializableFailure("cannot travel");
                }));
    Throwable e = failure(ref.ask("x"));
    assertThat(e)
        .isInstanceOf(RpcRemoteException.class)
        .hasNoCause()
        .hasMessageContaining(UnserializableFailure.class.getName())
        .hasMessageContaining("cannot travel");
    assertThat(((RpcRemoteException) e).remoteStackTrace()).contains("cannot travel");
  }

  @ParameterizedTest
  @EnumSource(Topology.class)
  void theDefaultReceiveAndReplyFailsTheAsk(Topology t) {
    RpcEndpointRef ref = deploy(t, new RpcEndpoint() {});
    Throwable e = failure(ref.ask("x"));
    assertThat(e)
        .isInstanceOf(RpcRemoteException.class)
        .hasMessageContaining("won't reply anything");
  }

  @ParameterizedTest
  @EnumSource(Topology.class)
  void aReplyMayComeFromAnotherThreadAfterReceiveAndReplyReturned(Topology t) throws Exception {
    BlockingQueue<RpcCallContext> parked = new LinkedBlockingQueue<>();
    RpcEndpointRef ref = deploy(t, Endpoints.replying((m, ctx) -> parked.add(ctx)));
    CompletableFuture<String> reply = ref.ask("later");
    RpcCallContext ctx = parked.poll(20, TimeUnit.SECONDS);
    Thread replier = new Thread(() -> ctx.reply("done"));
    replier.start();
    assertThat(reply.get(20, TimeUnit.SECONDS)).isEqualTo("done");
    replier.join();
  }

  @ParameterizedTest
  @EnumSource(Topology.class)
  void aSecondAnswerThrows(Topology t) throws Exception {
    BlockingQueue<Throwable> second = new LinkedBlockingQueue<>();
    RpcEndpointRef ref =
        deploy(
            t,
            Endpoints.replying(
                (m, ctx) -> {
                  ctx.reply("first");
                  second.add(catchThrowable(() -> ctx.reply("second")));
                  second.add(catchThrowable(() -> ctx.sendFailure(new RuntimeException("third"))));
                }));
    assertThat(ref.<String>askSync("x")).isEqualTo("first");
    assertThat(second.poll(20, TimeUnit.SECONDS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already answered");
    assertThat(second.poll(20, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
  }

  @ParameterizedTest
  @EnumSource(Topology.class)
  void anAskWithoutReplyTimesOutNamingPeerEndpointDurationAndSettingOnce(Topology t) {
    RpcEndpointRef ref = deploy(t, Endpoints.replying((m, ctx) -> {}));
    long start = System.nanoTime();
    Throwable e =
        failure(
            ref.ask(
                new Ping("silence"),
                new RpcTimeout(Duration.ofMillis(300), "spark.rpc.askTimeout")));
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(e)
        .isInstanceOf(RpcTimeoutException.class)
        .hasMessageContaining("Cannot receive any reply from")
        .hasMessageContaining("in 300 ms")
        .hasMessageContaining(Ping.class.getName())
        .hasMessageContaining("target")
        .hasMessageEndingWith(". This timeout is controlled by spark.rpc.askTimeout");
    assertThat(e.getMessage().split("This timeout is controlled by", -1)).hasSize(2);
    if (t != Topology.LOCAL) {
      assertThat(e.getMessage()).contains("127.0.0.1:");
    }
    // 300 ms means 300 ms: not zero (Spark's whole-second parsing) and not the 20 s default
    assertThat(elapsedMs).isBetween(290L, 10_000L);
  }

  @ParameterizedTest
  @EnumSource(Topology.class)
  void askSyncThrowsTheTimeoutItself(Topology t) {
    RpcEndpointRef ref = deploy(t, Endpoints.replying((m, ctx) -> {}));
    assertThatThrownBy(
            () -> ref.askSync("x", new RpcTimeout(Duration.ofMillis(200), "spark.rpc.askTimeout")))
        .isInstanceOf(RpcTimeoutException.class)
        .hasMessageContaining("spark.rpc.askTimeout");
  }

  @ParameterizedTest
  @EnumSource(Topology.class)
  void abortFailsTheAskWithTheGivenReasonAndTheLateReplyIsIgnored(Topology t) throws Exception {
    BlockingQueue<RpcCallContext> parked = new LinkedBlockingQueue<>();
    RpcEndpointRef ref =
        deploy(
            t,
            Endpoints.replying(
                (m, ctx) -> {
                  if ("park".equals(m)) {
                    parked.add(ctx);
                  } else {
                    ctx.reply(m);
                  }
                }));
    AbortableRpcFuture<String> f =
        ref.askAbortable("park", new RpcTimeout(Duration.ofSeconds(20), "p"));
    RpcCallContext ctx = parked.poll(20, TimeUnit.SECONDS);
    RuntimeException reason = new RuntimeException("changed my mind");
    f.abort(reason);
    assertThat(failure(f.future())).isSameAs(reason);
    ctx.reply("too late"); // ignored by the asker
    assertThat(ref.<String>askSync("again")).isEqualTo("again");
  }

  @ParameterizedTest
  @EnumSource(
      value = Topology.class,
      names = {"REMOTE_SERVER", "REMOTE_CLIENT_MODE"})
  void aNonSerializableMessageFailsAtTheSenderNamingItsClass(Topology t) {
    RpcEndpointRef ref = deploy(t, Endpoints.echo());
    assertThat(failure(ref.ask(new NotSerializable())))
        .isInstanceOf(RpcSerializationException.class)
        .hasMessageContaining(NotSerializable.class.getName())
        .hasMessageContaining("java.io.Serializable");
    assertThatThrownBy(() -> ref.send(new NotSerializable()))
        .isInstanceOf(RpcSerializationException.class)
        .hasMessageContaining(NotSerializable.class.getName());
  }

  @ParameterizedTest
  @EnumSource(
      value = Topology.class,
      names = {"REMOTE_SERVER", "REMOTE_CLIENT_MODE"})
  void aNonSerializableReplyFailsTheAskAtOnceAndThrowsToTheReplier(Topology t) throws Exception {
    BlockingQueue<Throwable> thrown = new LinkedBlockingQueue<>();
    RpcEndpointRef ref =
        deploy(
            t,
            Endpoints.replying(
                (m, ctx) -> thrown.add(catchThrowable(() -> ctx.reply(new NotSerializable())))));
    long start = System.nanoTime();
    assertThat(failure(ref.ask("x")))
        .isInstanceOf(RpcSerializationException.class)
        .hasMessageContaining(NotSerializable.class.getName());
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start))
        .isLessThan(15); // not the 20 s timeout
    assertThat(thrown.poll(20, TimeUnit.SECONDS)).isInstanceOf(RpcSerializationException.class);
  }

  @ParameterizedTest
  @EnumSource(
      value = Topology.class,
      names = {"REMOTE_SERVER", "REMOTE_CLIENT_MODE"})
  void aMessageTheReceiverCannotDeserializeFailsTheAsk(Topology t) {
    RpcEndpointRef ref = deploy(t, Endpoints.echo());
    assertThat(failure(ref.ask(new FailsToDeserialize())))
        .isInstanceOf(RpcSerializationException.class)
        .hasMessageContaining("could not deserialize")
        .hasMessageContaining("refusing to be read");
    assertThat(ref.<String>askSync("still works")).isEqualTo("still works");
  }

  @ParameterizedTest
  @EnumSource(Topology.class)
  void anAskToAnUnknownEndpointFailsWithNotFound(Topology t) {
    RpcEnv host = envs.server("host");
    RpcEndpointRef known = host.setupEndpoint("known", Endpoints.echo());
    RpcEnv caller = t.caller(envs, host, TestEnvs.conf());
    RpcEndpointRef ref = t.ref(caller, host, known, "known");
    host.stop(known);
    Throwable e = failure(ref.ask("x"));
    assertThat(e).isInstanceOf(RpcEndpointNotFoundException.class).hasMessageContaining("known");
  }

  @org.junit.jupiter.api.Test
  void aLocalSendToAnUnknownEndpointThrowsAtOnce() {
    RpcEnv host = envs.server("host");
    RpcEndpointRef ref = host.setupEndpoint("gone", Endpoints.echo());
    host.stop(ref);
    assertThatThrownBy(() -> ref.send("x"))
        .isInstanceOf(RpcEndpointNotFoundException.class)
        .hasMessageContaining("Cannot find endpoint: spark://gone@");
  }

  @org.junit.jupiter.api.Test
  void serializeLocalMessagesMakesANonSerializableLocalMessageFailAsItWouldRemotely() {
    RpcEnv host =
        envs.server("host", TestEnvs.conf().set("spark.rpc.serializeLocalMessages", "true"));
    RpcEndpointRef ref = host.setupEndpoint("echo", Endpoints.echo());
    assertThat(ref.<Ping>askSync(new Ping("copy"))).isEqualTo(new Ping("copy"));
    assertThat(failure(ref.ask(new NotSerializable())))
        .isInstanceOf(RpcSerializationException.class)
        .hasMessageContaining("spark.rpc.serializeLocalMessages");
    assertThatThrownBy(() -> ref.send(new NotSerializable()))
        .isInstanceOf(RpcSerializationException.class);
  }

  @org.junit.jupiter.api.Test
  void withoutSerializeLocalMessagesLocalMessagesPassByReference() {
    RpcEnv host = envs.server("host");
    NotSerializable msg = new NotSerializable();
    RpcEndpointRef ref = host.setupEndpoint("echo", Endpoints.echo());
    assertThat(ref.<Object>askSync(msg)).isSameAs(msg);
  }

  @org.junit.jupiter.api.Test
  void completionExceptionIsNeverWhatTheCallerSees() {
    RpcEnv host = envs.server("host");
    RpcEndpointRef ref =
        host.setupEndpoint(
            "echo",
            Endpoints.replying(
                (m, ctx) -> {
                  throw new IllegalArgumentException("bad");
                }));
    assertThatThrownBy(() -> ref.askSync("x"))
        .isNotInstanceOf(CompletionException.class)
        .isInstanceOf(RpcRemoteException.class);
  }
}
