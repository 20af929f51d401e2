package io.rpcenv.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.rpcenv.runtime.cli.RpcenvCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad arguments: one clear line and exit code 2, before anything starts. */
class CliArgumentsTest {

  private static String[] errorOf(String... args) {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = RpcenvCli.run(args);
    } finally {
      System.setErr(err);
    }
    return new String[] {String.valueOf(code), captured.toString(StandardCharsets.UTF_8)};
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "driver --port abc|rpcenv driver: Invalid value for option '--port': 'abc' is not an int",
        "driver --port 80|rpcenv driver: --port must be 0 or between 1024 and 65535: 80",
        "driver --local-executors -1|rpcenv driver: --local-executors must not be negative: -1",
        "driver --bogus|rpcenv driver: Unknown option: '--bogus'",
        "executor|rpcenv executor: Missing required option: '--driver=URL'",
        "executor --driver spark://nope|rpcenv executor: --driver: Invalid Spark URL: spark://nope",
        "frobnicate|rpcenv: Unmatched argument at index 0: 'frobnicate'"
      })
  void badArgumentsGiveOneLineAndExitCode2(String args, String expected) {
    String[] result = errorOf(args.split(" "));
    assertThat(result[0]).isEqualTo("2");
    assertThat(result[1].lines().toList()).hasSize(1);
    assertThat(result[1]).startsWith(expected);
  }
}
