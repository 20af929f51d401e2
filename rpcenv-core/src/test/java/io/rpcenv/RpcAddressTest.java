package io.rpcenv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RpcAddressTest {

  @Test
  void printsHostPortAndSparkUrl() {
    RpcAddress a = new RpcAddress("1.2.3.4", 1234);
    assertThat(a.hostPort()).isEqualTo("1.2.3.4:1234");
    assertThat(a.toString()).isEqualTo("1.2.3.4:1234");
    assertThat(a.toSparkURL()).isEqualTo("spark://1.2.3.4:1234");
  }

  @ParameterizedTest
  @CsvSource({
    "::1, [::1]",
    "[::1], [::1]",
    "::0:1, [::1]",
    "2600::, [2600::]",
    "2001:0DB8:0000:0000:0000:0000:0000:0001, [2001:db8::1]",
    "2001:db8:0:1:0:0:0:1, [2001:db8:0:1::1]",
    "1:0:0:2:0:0:0:3, [1:0:0:2::3]",
    "fe80::1%lo, [fe80::1%lo]"
  })
  void normalizesIpv6LiteralsToBracketedCompressedForm(String host, String expected) {
    assertThat(new RpcAddress(host, 7077).host()).isEqualTo(expected);
    assertThat(new RpcAddress(host, 7077).hostPort()).isEqualTo(expected + ":7077");
  }

  @Test
  void leavesHostNamesAndIpv4Alone() {
    assertThat(new RpcAddress("driver.example.com", 1).host()).isEqualTo("driver.example.com");
    assertThat(new RpcAddress("10.0.0.1", 1).host()).isEqualTo("10.0.0.1");
  }

  @Test
  void equalityIsByHostStringWithoutResolution() {
    assertThat(new RpcAddress("localhost", 1)).isNotEqualTo(new RpcAddress("127.0.0.1", 1));
    assertThat(new RpcAddress("::1", 1)).isEqualTo(new RpcAddress("[::1]", 1));
  }

  @Test
  void fromSparkUrlParsesIpv4AndIpv6() {
    assertThat(RpcAddress.fromSparkURL("spark://1.2.3.4:1234"))
        .isEqualTo(new RpcAddress("1.2.3.4", 1234));
    assertThat(RpcAddress.fromSparkURL("spark://[::1]:1234"))
        .isEqualTo(new RpcAddress("::1", 1234));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "spark://1.2. 3.4:1234",
        "http://1.2.3.4:1234",
        "spark://1.2.3.4",
        "spark://host:12/path",
        "spark://user@host:12",
        "spark://host:12?q=1",
        "spark://host:12#f",
        "not a url"
      })
  void fromSparkUrlRejectsAnythingElseNamingTheUrl(String url) {
    assertThatThrownBy(() -> RpcAddress.fromSparkURL(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid Spark URL: " + url);
  }

  @Test
  void rejectsEmptyHostAndOutOfRangePorts() {
    assertThatThrownBy(() -> new RpcAddress(" ", 1)).hasMessageContaining("host must not be empty");
    assertThatThrownBy(() -> new RpcAddress("h", -1))
        .hasMessageContaining("between 0 and 65535: -1");
    assertThatThrownBy(() -> new RpcAddress("h", 65536)).hasMessageContaining("65536");
  }
}
