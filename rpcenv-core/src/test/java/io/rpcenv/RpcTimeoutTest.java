package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RpcTimeoutTest {

  @Test
  void singlePropertyMustBeSetOrHaveADefault() {
    RpcConf conf = new RpcConf().set("spark.my.timeout", "5s");
    assertThat(RpcTimeout.of(conf, "spark.my.timeout"))
        .isEqualTo(new RpcTimeout(Duration.ofSeconds(5), "spark.my.timeout"));
    assertThatThrownBy(() -> RpcTimeout.of(conf, "spark.other.timeout"))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessageContaining("spark.other.timeout");
    assertThat(RpcTimeout.of(conf, "spark.other.timeout", "7s").duration())
        .isEqualTo(Duration.ofSeconds(7));
    assertThat(RpcTimeout.of(conf, "spark.other.timeout", "7s").property())
        .isEqualTo("spark.other.timeout");
  }

  @Test
  void firstSetPropertyInTheListWinsAndIsNamed() {
    RpcConf conf = new RpcConf().set("spark.b", "3s").set("spark.c", "4s");
    RpcTimeout t = RpcTimeout.of(conf, List.of("spark.a", "spark.b", "spark.c"), "9s");
    assertThat(t.duration()).isEqualTo(Duration.ofSeconds(3));
    assertThat(t.property()).isEqualTo("spark.b");
  }

  @Test
  void defaultIsReportedUnderTheFirstProperty() {
    RpcTimeout t = RpcTimeout.of(new RpcConf(), List.of("spark.a", "spark.b"), "9s");
    assertThat(t).isEqualTo(new RpcTimeout(Duration.ofSeconds(9), "spark.a"));
    assertThatThrownBy(() -> RpcTimeout.of(new RpcConf(), List.<String>of(), "9s"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void askTimeoutFollowsNetworkTimeoutAndNamesTheSettingThatWasUsed() {
    assertThat(RpcTimeout.askTimeout(new RpcConf()))
        .isEqualTo(new RpcTimeout(Duration.ofSeconds(120), "spark.rpc.askTimeout"));
    RpcTimeout network = RpcTimeout.askTimeout(new RpcConf().set("spark.network.timeout", "300s"));
    assertThat(network).isEqualTo(new RpcTimeout(Duration.ofSeconds(300), "spark.network.timeout"));
    RpcTimeout lookup =
        RpcTimeout.lookupTimeout(new RpcConf().set("spark.rpc.lookupTimeout", "500ms"));
    assertThat(lookup).isEqualTo(new RpcTimeout(Duration.ofMillis(500), "spark.rpc.lookupTimeout"));
  }

  @Test
  void subSecondValuesAreNotTruncated() {
    RpcTimeout t = RpcTimeout.askTimeout(new RpcConf().set("spark.rpc.askTimeout", "500ms"));
    assertThat(t.duration()).isEqualTo(Duration.ofMillis(500));
    assertThat(t.describe()).isEqualTo("500 ms");
  }

  @Test
  void rejectsZeroAndNegativeDurationsNamingTheProperty() {
    assertThatThrownBy(() -> RpcTimeout.askTimeout(new RpcConf().set("spark.rpc.askTimeout", "0s")))
        .hasMessageContaining("spark.rpc.askTimeout must be positive");
    assertThatThrownBy(
            () -> RpcTimeout.askTimeout(new RpcConf().set("spark.rpc.askTimeout", "-5s")))
        .hasMessageContaining("must be positive");
  }

  @Test
  void awaitResultTimesOutWithThePropertyNamedExactlyOnce() {
    RpcTimeout t = new RpcTimeout(Duration.ofMillis(50), "spark.rpc.askTimeout");
    assertThatThrownBy(() -> t.awaitResult(new CompletableFuture<>()))
        .isInstanceOf(RpcTimeoutException.class)
        .satisfies(
            e -> {
              assertThat(e.getMessage())
                  .endsWith(". This timeout is controlled by spark.rpc.askTimeout");
              assertThat(e.getMessage().split("This timeout is controlled by", -1)).hasSize(2);
              assertThat(((RpcTimeoutException) e).property()).isEqualTo("spark.rpc.askTimeout");
              assertThat(e.getCause()).isInstanceOf(java.util.concurrent.TimeoutException.class);
            });
  }

  @Test
  void awaitResultRethrowsUncheckedFailuresThemselves() {
    RpcTimeout t = new RpcTimeout(Duration.ofSeconds(5), "p");
    IllegalStateException boom = new IllegalStateException("boom");
    assertThatThrownBy(() -> t.awaitResult(CompletableFuture.failedFuture(boom))).isSameAs(boom);
    Exception checked = new java.io.IOException("io");
    assertThatThrownBy(() -> t.awaitResult(CompletableFuture.failedFuture(checked)))
        .isInstanceOf(RpcException.class)
        .hasCause(checked);
    assertThat(t.awaitResult(CompletableFuture.completedFuture("x"))).isEqualTo("x");
  }

  @Test
  void describesDurationsInTheUnitThatShowsThemExactly() {
    assertThat(new RpcTimeout(Duration.ofSeconds(120), "p").describe()).isEqualTo("120 seconds");
    assertThat(new RpcTimeout(Duration.ofSeconds(1), "p").describe()).isEqualTo("1 second");
    assertThat(new RpcTimeout(Duration.ofMillis(1500), "p").describe()).isEqualTo("1500 ms");
    assertThat(RpcTimeout.INFINITE.describe()).isEqualTo("infinite");
  }
}
