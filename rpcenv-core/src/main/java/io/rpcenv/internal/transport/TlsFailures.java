package io.rpcenv.internal.transport;

import io.netty.handler.ssl.NotSslRecordException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import javax.net.ssl.SSLHandshakeException;

/** Says in words why a TLS handshake failed, instead of the provider's internal message. */
final class TlsFailures {
  private TlsFailures() {}

  static String describe(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof NotSslRecordException) {
        return "the peer answered in plaintext, not TLS (spark.ssl.rpc.enabled must be set on both"
            + " sides)";
      }
      if (t instanceof CertificateExpiredException) {
        return "the peer's certificate has expired (" + t.getMessage() + ")";
      }
      if (t instanceof CertificateNotYetValidException) {
        return "the peer's certificate is not valid yet (" + t.getMessage() + ")";
      }
      String m = t.getMessage() == null ? "" : t.getMessage();
      if (m.contains("No subject alternative") || m.contains("No name matching")) {
        return "the peer's certificate does not name the host that was dialed ("
            + m
            + "; spark.ssl.rpc.verifyHostname)";
      }
      if (m.contains("unable to find valid certification path")
          || m.contains("PKIX path building failed")) {
        return "the peer's certificate is not signed by an authority in this env's"
            + " spark.ssl.rpc.trustStore or spark.ssl.rpc.trustCertificates";
      }
      if (m.contains("Empty client certificate chain") || m.contains("certificate_required")) {
        return "the server requires a client certificate (spark.ssl.rpc.needClientAuth) and none"
            + " was presented: set spark.ssl.rpc.keyStore on the client";
      }
    }
    String m = failure.getMessage();
    return failure instanceof SSLHandshakeException || m == null ? String.valueOf(m) : m;
  }
}
