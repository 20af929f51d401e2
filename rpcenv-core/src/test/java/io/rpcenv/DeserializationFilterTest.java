package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.untrusted.Tripwire;
import com.example.untrusted.UntrustedFailure;
import com.example.untrusted.UntrustedRecord;
import io.rpcenv.testkit.Resources;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Network input is deserialized only within limits and only for allowed classes. */
class DeserializationFilterTest {
  @RegisterExtension final Resources resources = new Resources();
  final TestEnvs envs = new TestEnvs(resources);

  @BeforeEach
  void reset() {
    Tripwire.TRIPPED.set(0);
  }

  private RpcEndpointRef echo(RpcConf serverConf, RpcConf clientConf) {
    RpcEnv server = envs.server("server", serverConf);
    server.setupEndpoint(
        "echo", Endpoints.replying((m, ctx) -> ctx.reply(m instanceof Tripwire ? "got it" : m)));
    return envs.client("client", clientConf).setupEndpointRef(server.address(), "echo");
  }

  @Test
  void aClassOutsideTheAllowListIsRejectedBeforeConstructionAndTheConnectionStaysUp() {
    RpcEndpointRef ref = echo(TestEnvs.conf(), TestEnvs.conf());
    assertThatThrownBy(() -> ref.askSync(new Tripwire("hostile")))
        .isInstanceOf(RpcSerializationException.class)
        .hasMessageContaining("class com.example.untrusted.Tripwire is not allowed")
        .hasMessageContaining("spark.rpc.serializer.allowList");
    assertThat(Tripwire.TRIPPED).hasValue(0);
    assertThat(ref.<String>askSync("still serving")).isEqualTo("still serving");
  }

  @Test
  void aRecordOutsideTheAllowListIsRejectedTheSameWayBeforeItsConstructorRuns() {
    RpcEndpointRef ref = echo(TestEnvs.conf(), TestEnvs.conf());
    UntrustedRecord.CONSTRUCTED.set(0);
    UntrustedRecord hostile = new UntrustedRecord("hostile");
    assertThatThrownBy(() -> ref.askSync(hostile))
        .isInstanceOf(RpcSerializationException.class)
        .hasMessageContaining("class com.example.untrusted.UntrustedRecord is not allowed")
        .hasMessageContaining("spark.rpc.serializer.allowList");
    assertThat(UntrustedRecord.CONSTRUCTED).hasValue(1); // ours, above: none on the server
    assertThat(ref.<String>askSync("still serving")).isEqualTo("still serving");
  }

  @Test
  void aLargeBodyAssembledAsItArrivesGoesThroughTheSameFilter() {
    RpcEndpointRef ref = echo(TestEnvs.conf(), TestEnvs.conf());
    List<Object> large = new ArrayList<>();
    large.add(new byte[1 << 20]); // makes the frame large enough to be assembled while it arrives
    large.add(new Tripwire("hidden in a large message"));
    assertThatThrownBy(() -> ref.askSync(large))
        .isInstanceOf(RpcSerializationException.class)
        .hasMessageContaining("class com.example.untrusted.Tripwire is not allowed");
    assertThat(Tripwire.TRIPPED).hasValue(0);
    assertThat(ref.<String>askSync("still serving")).isEqualTo("still serving");
  }

  @Test
  void anAllowListEntryAdmitsTheClassOrItsPackage() {
    for (String entry :
        new String[] {
          "com.example.untrusted.Tripwire", "com.example.untrusted.*", "com.example.**"
        }) {
      RpcEndpointRef ref =
          echo(
              TestEnvs.conf().set("spark.rpc.serializer.allowList", "org.other.*, " + entry),
              TestEnvs.conf());
      assertThat(ref.<String>askSync(new Tripwire(entry))).isEqualTo("got it");
    }
    assertThat(Tripwire.TRIPPED).hasValue(3);
  }

  @Test
  void aPackagePatternDoesNotAdmitSubpackagesButATreePatternDoes() {
    RpcEndpointRef ref =
        echo(
            TestEnvs.conf().set("spark.rpc.serializer.allowList", "com.example.*"),
            TestEnvs.conf());
    assertThatThrownBy(() -> ref.askSync(new Tripwire("sub")))
        .isInstanceOf(RpcSerializationException.class);
  }

  @Test
  void aReplyOfADisallowedClassFailsTheAskAtTheAsker() {
    RpcEnv server = envs.server("server", TestEnvs.conf());
    server.setupEndpoint("giver", Endpoints.replying((m, ctx) -> ctx.reply(new Tripwire("reply"))));
    RpcEndpointRef ref = envs.client("client").setupEndpointRef(server.address(), "giver");
    assertThatThrownBy(() -> ref.askSync("x"))
        .isInstanceOf(RpcSerializationException.class)
        .hasMessageContaining("Cannot deserialize the reply")
        .hasMessageContaining("com.example.untrusted.Tripwire");
    assertThat(Tripwire.TRIPPED).hasValue(0);
  }

  @Test
  void aDisallowedExceptionStillArrivesAsClassNameMessageAndStack() {
    RpcEnv server = envs.server("server", TestEnvs.conf());
    server.setupEndpoint(
        "thrower",
        Endpoints.replying(
            (m, ctx) -> {
              throw new UntrustedFailure("told you");
            }));
    RpcEndpointRef ref = envs.client("client").setupEndpointRef(server.address(), "thrower");
    assertThatThrownBy(() -> ref.askSync("x"))
        .isInstanceOf(RpcRemoteException.class)
        .hasNoCause()
        .hasMessageContaining(UntrustedFailure.class.getName())
        .hasMessageContaining("told you");
  }

  /** Effective Java's bomb: nested sets whose hashing doubles with every level. */
  static Set<Object> bomb(int levels) {
    Set<Object> root = new HashSet<>();
    Set<Object> s1 = root;
    Set<Object> s2 = new HashSet<>();
    for (int i = 0; i < levels; i++) {
      Set<Object> t1 = new HashSet<>();
      Set<Object> t2 = new HashSet<>();
      t1.add("foo");
      s1.add(t1);
      s1.add(t2);
      s2.add(t1);
      s2.add(t2);
      s1 = t1;
      s2 = t2;
    }
    return root;
  }

  @Test
  void aDepthBombIsRejectedQuickly() {
    RpcEndpointRef ref = echo(TestEnvs.conf(), TestEnvs.conf());
    Set<Object> bomb = bomb(60); // unfiltered, 2^60 hash computations
    long start = System.nanoTime();
    assertThatThrownBy(() -> ref.askSync(bomb))
        .isInstanceOf(RpcSerializationException.class)
        .hasMessageContaining("spark.rpc.serializer.maxDepth (20)");
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    System.out.println("depth bomb rejected after " + ms + " ms");
    assertThat(ms).isLessThan(5_000);
    assertThat(ref.<String>askSync("still serving")).isEqualTo("still serving");
  }

  @Test
  void aReferenceBombIsRejected() {
    RpcEndpointRef ref =
        echo(TestEnvs.conf().set("spark.rpc.serializer.maxReferences", "10000"), TestEnvs.conf());
    List<String> many = new ArrayList<>();
    String same = "x";
    for (int i = 0; i < 50_000; i++) {
      many.add(same);
    }
    assertThatThrownBy(() -> ref.askSync(new ArrayList<>(many)))
        .isInstanceOf(RpcSerializationException.class)
        .hasMessageContaining("spark.rpc.serializer.maxReferences (10000)");
  }

  @Test
  void aHugeDeclaredArrayIsRejectedBeforeItIsAllocated() throws Exception {
    RpcEnv server = envs.server("server", TestEnvs.conf());
    server.setupEndpoint("echo", Endpoints.echo());
    // a stream holding long[4], its length patched to 2^31-16: 16 GiB if anyone allocated it
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream oos = new ObjectOutputStream(bytes)) {
      oos.writeObject(new long[] {1, 2, 3, 4});
    }
    byte[] stream = bytes.toByteArray();
    int lengthAt = stream.length - 4 * 8 - 4;
    ByteBuffer.wrap(stream, lengthAt, 4).putInt(Integer.MAX_VALUE - 16);
    byte[] body = new byte[stream.length + 1];
    body[0] = 1; // Java serialization tag
    System.arraycopy(stream, 0, body, 1, stream.length);
    try (RawConnection raw = new RawConnection(server.address().port())) {
      raw.plainHandshake();
      long start = System.nanoTime();
      raw.frame(RawConnection.REQUEST, RawConnection.requestPayload(1, "echo", body));
      RawConnection.Frame answer = raw.readFrame();
      assertThat(answer.type()).isEqualTo(RawConnection.FAILURE);
      assertThat(answer.text()).contains("spark.rpc.serializer.maxArrayLength");
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
    }
    RpcEndpointRef ref = envs.client("client").setupEndpointRef(server.address(), "echo");
    assertThat(ref.<String>askSync("still serving")).isEqualTo("still serving");
  }

  @Test
  void badAllowListEntriesAreRefusedAtStart() {
    assertThatThrownBy(
            () ->
                RpcEnv.create(
                    "env",
                    "127.0.0.1",
                    0,
                    TestEnvs.conf().set("spark.rpc.serializer.allowList", "!java.**"),
                    null))
        .hasMessageContaining("not filter rules");
  }
}
