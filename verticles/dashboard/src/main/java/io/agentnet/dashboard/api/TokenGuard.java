package io.agentnet.dashboard.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The dashboard token check for mutating calls: {@code Authorization: Bearer <token>}, compared in
 * constant time. The token itself never appears in an error.
 */
public final class TokenGuard {

  private static final String BEARER = "Bearer ";
  private final byte[] token;

  public TokenGuard(String token) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("the dashboard token must not be empty");
    }
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  /** A fresh random token (24 bytes, URL-safe base64): used when DASHBOARD_TOKEN is not set. */
  public static String generate() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Empty when the header carries the token; otherwise the 401 or 403 to answer. */
  public Optional<ApiError> check(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      return Optional.of(new ApiError(401, "this action needs the dashboard token: send 'Authorization: Bearer <token>' "
          + "(DASHBOARD_TOKEN, or the token the dashboard printed at start)"));
    }
    if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Optional.of(new ApiError(401, "the Authorization header must be 'Bearer <token>'"));
    }
    byte[] given = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, token)) {
      return Optional.of(new ApiError(403, "the dashboard token is wrong"));
    }
    return Optional.empty();
  }
}
