package dev.herald.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * CSRF tokens as a signed double-submit cookie (OWASP's recommended stateless pattern): the browser
 * holds a random nonce in an HttpOnly, SameSite=Strict cookie, and every form carries the HMAC of
 * that nonce under a secret only this dashboard knows. A cross-site page can neither read the
 * cookie nor compute the token.
 */
final class Csrf {

  static final String COOKIE = "herald_csrf";
  static final String FIELD = "csrf";

  private final SecureRandom random = new SecureRandom();
  private final SecretKeySpec key;

  Csrf(byte[] secret) {
    this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
  }

  static byte[] randomSecret() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return secret;
  }

  String newNonce() {
    byte[] nonce = new byte[18];
    random.nextBytes(nonce);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(nonce);
  }

  String token(String nonce) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      byte[] sig = mac.doFinal(nonce.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  boolean valid(String nonce, String token) {
    if (nonce == null || nonce.isEmpty() || token == null || token.isEmpty()) {
      return false;
    }
    return MessageDigest.isEqual(
        token(nonce).getBytes(StandardCharsets.US_ASCII),
        token.getBytes(StandardCharsets.US_ASCII));
  }

  static String cookie(String nonce, String basePath) {
    String path = basePath.isEmpty() ? "/" : basePath;
    return COOKIE + "=" + nonce + "; Path=" + path + "; HttpOnly; SameSite=Strict";
  }
}
