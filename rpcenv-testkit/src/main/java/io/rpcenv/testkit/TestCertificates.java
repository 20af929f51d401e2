package io.rpcenv.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates for TLS tests, made in-process: certificate authorities, and key stores with keys
 * and certificates signed by them (valid, expired, for another host). Everything is written under
 * one directory as PKCS12 stores (password {@value #PASSWORD} unless given) and PEM files.
 */
public final class TestCertificates {
  /** The password of every store written by {@link #TestCertificates(Path)}. */
  public static final String PASSWORD = "changeit";

  private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());
  private final Path dir;
  private final String password;

  /** Writes into {@code dir}, which must exist, with the password {@value #PASSWORD}. */
  public TestCertificates(Path dir) {
    this(dir, PASSWORD);
  }

  /**
   * Writes into {@code dir}, which must exist, protecting every store with {@code password}: a test
   * that checks where a password must not appear uses one nothing else contains.
   */
  public TestCertificates(Path dir, String password) {
    this.dir = dir;
    this.password = password;
  }

  /** A certificate authority that signs certificates. */
  public record Authority(String name, KeyPair keys, X509Certificate certificate) {}

  /** Files of one key and certificate: a PKCS12 key store, and PEM key and chain. */
  public record Identity(Path keyStore, Path privateKeyPem, Path certChainPem) {}

  /** A new self-signed authority. */
  public Authority authority(String name) throws Exception {
    KeyPair keys = keyPair();
    X500Name subject = new X500Name("CN=" + name);
    Instant now = Instant.now();
    X509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            subject,
            serial(),
            Date.from(now.minusSeconds(3600)),
            Date.from(now.plus(Duration.ofDays(3650))),
            subject,
            keys.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    return new Authority(name, keys, sign(b, keys.getPrivate()));
  }

  /**
   * A key and certificate for {@code hosts} (DNS names or IP literals), signed by {@code ca}, valid
   * from {@code notBefore} to {@code notAfter}.
   */
  public Identity identity(
      String name, Authority ca, List<String> hosts, Instant notBefore, Instant notAfter)
      throws Exception {
    KeyPair keys = keyPair();
    JcaX509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            ca.certificate(),
            serial(),
            Date.from(notBefore),
            Date.from(notAfter),
            new X500Name("CN=" + name),
            keys.getPublic());
    List<GeneralName> names = new ArrayList<>();
    for (String h : hosts) {
      names.add(
          new GeneralName(
              h.matches("[0-9.]+|.*:.*") ? GeneralName.iPAddress : GeneralName.dNSName, h));
    }
    b.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(names.toArray(new GeneralName[0])));
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    X509Certificate cert = sign(b, ca.keys().getPrivate());

    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry(
        "key",
        keys.getPrivate(),
        password.toCharArray(),
        new X509Certificate[] {cert, ca.certificate()});
    Path store = dir.resolve(name + ".p12");
    try (OutputStream out = Files.newOutputStream(store)) {
      ks.store(out, password.toCharArray());
    }
    Path keyPem = dir.resolve(name + ".key.pem");
    Files.writeString(keyPem, pem(new JcaPKCS8Generator(keys.getPrivate(), null)));
    Path chainPem = dir.resolve(name + ".crt.pem");
    Files.writeString(chainPem, pem(cert) + pem(ca.certificate()));
    return new Identity(store, keyPem, chainPem);
  }

  /** A valid identity for 127.0.0.1 and localhost. */
  public Identity identity(String name, Authority ca) throws Exception {
    Instant now = Instant.now();
    return identity(
        name,
        ca,
        List.of("127.0.0.1", "localhost"),
        now.minusSeconds(3600),
        now.plus(Duration.ofDays(30)));
  }

  /** A PKCS12 trust store holding the certificates of {@code authorities}. */
  public Path trustStore(String name, Authority... authorities) throws Exception {
    KeyStore ts = KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    for (Authority a : authorities) {
      ts.setCertificateEntry(a.name(), a.certificate());
    }
    Path store = dir.resolve(name + ".p12");
    try (OutputStream out = Files.newOutputStream(store)) {
      ts.store(out, password.toCharArray());
    }
    return store;
  }

  /** A PEM file of the certificates of {@code authorities}. */
  public Path trustPem(String name, Authority... authorities) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (Authority a : authorities) {
      sb.append(pem(a.certificate()));
    }
    Path file = dir.resolve(name + ".pem");
    Files.writeString(file, sb.toString());
    return file;
  }

  private static KeyPair keyPair() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
    return g.generateKeyPair();
  }

  private static BigInteger serial() {
    return BigInteger.valueOf(SERIALS.incrementAndGet());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws Exception {
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
  }

  private static String pem(Object o) throws IOException {
    StringWriter sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      w.writeObject(o);
    }
    return sw.toString();
  }
}
