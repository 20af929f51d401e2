package io.rpcenv.runtime.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rpcenv tls-keygen}: one self-signed key pair for a test cluster, with the settings that
 * use it. Every machine gets the same files and so trusts the others. For production, use
 * certificates from a real authority.
 */
@Command(
    name = "tls-keygen",
    mixinStandardHelpOptions = true,
    description = {
      "Make a self-signed key pair for a test cluster and the settings that turn TLS on with it.",
      "Copy the directory to every machine and start each process with --conf-file"
          + " DIR/rpcenv-tls.conf."
    })
final class TlsKeygenCommand implements Callable<Integer> {
  @Option(
      names = "--dir",
      required = true,
      paramLabel = "DIR",
      description = "Directory to write into (created).")
  Path dir;

  @Option(
      names = "--host",
      paramLabel = "H",
      description =
          "A host name or address the certificate must name; repeatable (localhost and 127.0.0.1"
              + " always).")
  List<String> hosts = new ArrayList<>();

  @Option(
      names = "--days",
      defaultValue = "365",
      paramLabel = "N",
      description = "Validity in days (default 365).")
  int days;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (days < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--days must be at least 1: " + days);
    }
    Files.createDirectories(dir);
    Path keyStore = dir.resolve("rpcenv-keystore.p12").toAbsolutePath();
    Path cert = dir.resolve("rpcenv-cert.pem").toAbsolutePath();
    Path conf = dir.resolve("rpcenv-tls.conf").toAbsolutePath();
    if (Files.exists(keyStore)) {
      throw new IllegalStateException(
          keyStore + " already exists; remove it or choose another --dir");
    }
    byte[] raw = new byte[24];
    new SecureRandom().nextBytes(raw);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    StringBuilder san = new StringBuilder("SAN=dns:localhost,ip:127.0.0.1");
    for (String h : hosts) {
      san.append(h.matches("[0-9.]+|.*:.*") ? ",ip:" : ",dns:").append(h);
    }
    keytool(
        password,
        "-genkeypair",
        "-alias",
        "rpcenv",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=rpcenv test cluster",
        "-ext",
        san.toString(),
        "-validity",
        String.valueOf(days),
        "-keystore",
        keyStore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass:env",
        "RPCENV_KEYTOOL_PASSWORD");
    keytool(
        password,
        "-exportcert",
        "-alias",
        "rpcenv",
        "-rfc",
        "-file",
        cert.toString(),
        "-keystore",
        keyStore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass:env",
        "RPCENV_KEYTOOL_PASSWORD");
    Files.writeString(
        conf,
        "# TLS for an rpcenv test cluster, made by rpcenv tls-keygen\n"
            + "spark.ssl.rpc.enabled=true\n"
            + "spark.ssl.rpc.keyStore="
            + keyStore
            + "\n"
            + "spark.ssl.rpc.keyStorePassword="
            + password
            + "\n"
            + "spark.ssl.rpc.trustCertificates="
            + cert
            + "\n",
        StandardCharsets.UTF_8);
    try {
      Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
      Files.setPosixFilePermissions(keyStore, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // the files stay with the file system's default permissions
    }
    System.out.println(
        "Wrote "
            + keyStore
            + ", "
            + cert
            + " and "
            + conf
            + " (certificate for "
            + san.substring(4)
            + ", valid "
            + days
            + " days).");
    System.out.println(
        "Copy "
            + dir.toAbsolutePath()
            + " to every machine (same path), then start each process with "
            + "--conf-file "
            + conf);
    return 0;
  }

  private static void keytool(String password, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("RPCENV_KEYTOOL_PASSWORD", password);
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool " + args[0] + " failed: " + output.strip());
    }
  }
}
