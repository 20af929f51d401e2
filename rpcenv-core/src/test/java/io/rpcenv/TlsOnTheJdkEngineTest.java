package io.rpcenv;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The whole TLS suite again with the JDK's engine (the suite itself runs on OpenSSL here). */
class TlsOnTheJdkEngineTest extends TlsTest {
  @BeforeAll
  static void jdkEngine() {
    engine = "jdk";
  }

  @AfterAll
  static void defaultEngine() {
    engine = "auto";
  }
}
