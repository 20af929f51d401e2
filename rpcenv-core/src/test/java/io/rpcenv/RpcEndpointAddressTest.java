package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RpcEndpointAddressTest {

  @Test
  void printsSparkUrlOrClientUrl() {
    assertThat(new RpcEndpointAddress("1.2.3.4", 1234, "test"))
        .hasToString("spark://test@1.2.3.4:1234");
    assertThat(new RpcEndpointAddress(null, "test")).hasToString("spark-client://test");
    assertThat(new RpcEndpointAddress("::1", 1234, "test")).hasToString("spark://test@[::1]:1234");
  }

  @Test
  void parsesWhatItPrints() {
    for (String url :
        new String[] {
          "spark://test@1.2.3.4:1234", "spark://test@[::1]:1234", "spark://driver@localhost:7077"
        }) {
      assertThat(RpcEndpointAddress.parse(url)).hasToString(url);
    }
    RpcEndpointAddress a = RpcEndpointAddress.parse("spark://echo@10.0.0.1:7077");
    assertThat(a.name()).isEqualTo("echo");
    assertThat(a.address()).isEqualTo(new RpcAddress("10.0.0.1", 7077));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "spark-client://test",
        "spark://1.2.3.4:1234",
        "spark://test@1.2.3.4",
        "http://test@1.2.3.4:1234",
        "spark://test@1.2.3.4:1234/path",
        "spark://test@1.2.3.4:1234?x=1",
        "spark://test@1.2.3.4:1234#frag",
        "spark://test@1.2. 3.4:1234",
        "spark://@1.2.3.4:1234"
      })
  void rejectsMalformedUrlsNamingThem(String url) {
    assertThatThrownBy(() -> RpcEndpointAddress.parse(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid Spark URL: " + url)
        .hasMessageContaining("expected spark://name@host:port");
  }

  @Test
  void requiresAName() {
    assertThatThrownBy(() -> new RpcEndpointAddress(new RpcAddress("h", 1), null))
        .hasMessage("RpcEndpoint name must be provided.");
  }
}
