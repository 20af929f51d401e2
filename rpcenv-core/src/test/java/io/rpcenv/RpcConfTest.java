package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RpcConfTest {

  @ParameterizedTest
  @CsvSource({
    "500ms, 500",
    "2s, 2000",
    "2, 2000",
    " 3S , 3000",
    "1min, 60000",
    "1m, 60000",
    "1h, 3600000",
    "1d, 86400000",
    "1500ms, 1500",
    "250us, 0"
  })
  void parsesTimesWithSubSecondPrecision(String value, long millis) {
    RpcConf conf = new RpcConf().set("spark.rpc.askTimeout", value);
    assertThat(conf.get(RpcConfigKeys.ASK_TIMEOUT).toMillis()).isEqualTo(millis);
  }

  @Test
  void keepsMicrosecondValues() {
    assertThat(new RpcConf().set("spark.rpc.askTimeout", "250us").get(RpcConfigKeys.ASK_TIMEOUT))
        .isEqualTo(Duration.ofNanos(250_000));
  }

  @Test
  void rejectsMalformedTimeWithTheGrammarAndTheKey() {
    RpcConf conf = new RpcConf().set("spark.rpc.askTimeout", "10x");
    assertThatThrownBy(() -> conf.get(RpcConfigKeys.ASK_TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spark.rpc.askTimeout")
        .hasMessageContaining("\"10x\"")
        .hasMessageContaining(
            "Time must be specified as seconds (s), milliseconds (ms), microseconds (us), "
                + "minutes (m or min), hour (h), or day (d). E.g. 50s, 100ms, or 250us.")
        .hasMessageContaining("Invalid suffix: \"x\"");
    assertThatThrownBy(() -> new RpcConf().set(RpcConfigKeys.ASK_TIMEOUT, "1m30s"))
        .hasMessageContaining("Failed to parse time string");
    assertThatThrownBy(() -> new RpcConf().set(RpcConfigKeys.ASK_TIMEOUT, "1.5s"))
        .hasMessageContaining("Time must be specified");
  }

  @ParameterizedTest
  @CsvSource({
    "128, 134217728",
    "1k, 1024",
    "1kb, 1024",
    "2m, 2097152",
    "1g, 1073741824",
    "512b, 512"
  })
  void parsesMessageSizeInMebibytesUnlessAUnitIsGiven(String value, long bytes) {
    assertThat(
            new RpcConf()
                .set("spark.rpc.message.maxSize", value)
                .get(RpcConfigKeys.MESSAGE_MAX_SIZE))
        .isEqualTo(bytes);
  }

  @Test
  void rejectsMessageSizesAbove2047MebibytesOrBelowOneByte() {
    assertThatThrownBy(
            () ->
                new RpcConf()
                    .set("spark.rpc.message.maxSize", "2048")
                    .get(RpcConfigKeys.MESSAGE_MAX_SIZE))
        .hasMessageContaining("spark.rpc.message.maxSize")
        .hasMessageContaining("2047 MiB");
    assertThatThrownBy(
            () ->
                new RpcConf()
                    .set("spark.rpc.message.maxSize", "0")
                    .get(RpcConfigKeys.MESSAGE_MAX_SIZE))
        .hasMessageContaining("must be between");
    assertThatThrownBy(
            () ->
                new RpcConf()
                    .set("spark.rpc.message.maxSize", "12q")
                    .get(RpcConfigKeys.MESSAGE_MAX_SIZE))
        .hasMessageContaining("Size must be specified");
  }

  @Test
  void typedKeysFallBackThroughTheirChainThenToTheDefault() {
    RpcConf conf = new RpcConf();
    assertThat(conf.get(RpcConfigKeys.ASK_TIMEOUT)).isEqualTo(Duration.ofSeconds(120));
    conf.set("spark.network.timeout", "300s");
    assertThat(conf.get(RpcConfigKeys.ASK_TIMEOUT)).isEqualTo(Duration.ofSeconds(300));
    assertThat(conf.get(RpcConfigKeys.CONNECTION_CREATION_TIMEOUT))
        .isEqualTo(Duration.ofSeconds(300));
    conf.set("spark.rpc.askTimeout", "5s");
    assertThat(conf.get(RpcConfigKeys.ASK_TIMEOUT)).isEqualTo(Duration.ofSeconds(5));
    assertThat(conf.get(RpcConfigKeys.DISPATCHER_THREADS)).isNull(); // computed at runtime
  }

  @Test
  void rejectsBadBooleansAndIntegersNamingTheKey() {
    assertThatThrownBy(
            () ->
                new RpcConf().set("spark.authenticate", "yes").get(SecurityConfigKeys.AUTHENTICATE))
        .hasMessageContaining("spark.authenticate")
        .hasMessageContaining("expected true or false");
    assertThatThrownBy(
            () ->
                new RpcConf()
                    .set("spark.port.maxRetries", "many")
                    .getInt("spark.port.maxRetries", 1))
        .hasMessageContaining("spark.port.maxRetries")
        .hasMessageContaining("expected an integer");
    assertThatThrownBy(() -> new RpcConf().set(RpcConfigKeys.PORT_MAX_RETRIES, "-1"))
        .hasMessageContaining("must not be negative");
  }

  @Test
  void untypedGettersAndCopies() {
    RpcConf conf = new RpcConf().set("a", "1").set("t", "250ms").set("s", "2k").set("b", "true");
    assertThat(conf.get("a")).isEqualTo("1");
    assertThat(conf.get("missing", "d")).isEqualTo("d");
    assertThat(conf.getOption("missing")).isEmpty();
    assertThat(conf.getTimeAsMs("t", "1s")).isEqualTo(250);
    assertThat(conf.getSizeAsBytes("s", "0")).isEqualTo(2048);
    assertThat(conf.getBoolean("b", false)).isTrue();
    assertThat(conf.getInt("a", 0)).isEqualTo(1);
    RpcConf copy = conf.copy().set("a", "2");
    assertThat(conf.get("a")).isEqualTo("1");
    assertThat(copy.get("a")).isEqualTo("2");
    assertThatThrownBy(() -> conf.get("missing"))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessageContaining("missing");
    assertThatThrownBy(() -> conf.set("k", null)).hasMessageContaining("null value for k");
    assertThat(new RpcConf().set("spark.authenticate.secret", "s3cret").toString())
        .doesNotContain("s3cret");
  }
}
