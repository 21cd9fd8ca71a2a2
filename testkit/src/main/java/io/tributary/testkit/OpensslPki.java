package io.tributary.testkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throwaway PKI made with the {@code openssl} CLI (ECDSA P-256, valid one day): a CA, a server
 * certificate for {@code 127.0.0.1} and {@code localhost}, a client certificate, and a second CA
 * that signed neither. Keys are PKCS#8 PEM ({@code genpkey}), which jetcd (Netty) and the JDK read.
 */
final class OpensslPki {
  private OpensslPki() {}

  /** Writes the files into {@code dir}; fails clearly if openssl is not installed. */
  static EtcdServer.TlsFiles create(Path dir) {
    String openssl = opensslBinary();
    Path ca = dir.resolve("ca.pem");
    Path caKey = dir.resolve("ca.key");
    Path untrusted = dir.resolve("untrusted-ca.pem");
    selfSignedCa(openssl, dir, caKey, ca, "tributary-test-ca");
    selfSignedCa(openssl, dir, dir.resolve("untrusted-ca.key"), untrusted, "tributary-untrusted-ca");
    signed(openssl, dir, ca, caKey, "server", "localhost",
        "subjectAltName = IP:127.0.0.1, DNS:localhost\nextendedKeyUsage = serverAuth, clientAuth\n");
    signed(openssl, dir, ca, caKey, "client", "tributary-test-client", "extendedKeyUsage = clientAuth\n");
    return new EtcdServer.TlsFiles(ca, dir.resolve("server.pem"), dir.resolve("server.key"), dir.resolve("client.pem"),
        dir.resolve("client.key"), untrusted);
  }

  private static void selfSignedCa(String openssl, Path dir, Path key, Path cert, String cn) {
    run(dir, openssl, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString());
    run(dir, openssl, "req", "-x509", "-new", "-key", key.toString(), "-subj", "/CN=" + cn, "-days", "1",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        "-out", cert.toString());
  }

  private static void signed(String openssl, Path dir, Path ca, Path caKey, String name, String cn, String extensions) {
    Path key = dir.resolve(name + ".key");
    Path csr = dir.resolve(name + ".csr");
    Path ext = dir.resolve(name + ".ext");
    try {
      Files.writeString(ext, extensions);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + ext, e);
    }
    run(dir, openssl, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString());
    run(dir, openssl, "req", "-new", "-key", key.toString(), "-subj", "/CN=" + cn, "-out", csr.toString());
    run(dir, openssl, "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(),
        "-set_serial", String.valueOf(new SecureRandom().nextLong() & Long.MAX_VALUE), "-days", "1",
        "-extfile", ext.toString(), "-out", dir.resolve(name + ".pem").toString());
  }

  private static void run(Path dir, String openssl, String... args) {
    List<String> command = new ArrayList<>(List.of(openssl));
    command.addAll(List.of(args));
    ServerProcesses.run(dir, "openssl " + args[0], command);
  }

  /** A client context trusting {@code ca} and presenting {@code cert} with its PKCS#8 {@code key}. */
  static SSLContext clientContext(Path ca, Path cert, Path key) {
    try {
      CertificateFactory x509 = CertificateFactory.getInstance("X.509");
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      try (InputStream in = Files.newInputStream(ca)) {
        trust.setCertificateEntry("ca", x509.generateCertificate(in));
      }
      List<Certificate> chain;
      try (InputStream in = Files.newInputStream(cert)) {
        chain = new ArrayList<>(x509.generateCertificates(in));
      }
      String pem = Files.readString(key).replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "");
      PrivateKey privateKey = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(pem)));
      char[] none = new char[0];
      KeyStore identity = KeyStore.getInstance("PKCS12");
      identity.load(null, null);
      identity.setKeyEntry("client", privateKey, none, chain.toArray(Certificate[]::new));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(identity, none);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot load the test certificates " + ca + ", " + cert + ", " + key, e);
    }
  }

  private static String opensslBinary() {
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
    dirs.addAll(List.of("/usr/bin", "/usr/local/bin"));
    for (String d : dirs) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, "openssl"))) {
        return Path.of(d, "openssl").toString();
      }
    }
    throw new IllegalStateException("openssl is not installed (the etcd TLS tests make their certificates with it):"
        + " apt-get install -y openssl (make test does this when it can)");
  }
}
