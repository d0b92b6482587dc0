package io.agentnet.dashboard.api;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenGuardTest {

  private static final String TOKEN = "s3cret-T0ken";
  private final TokenGuard guard = new TokenGuard(TOKEN);

  private ApiError refused(String header) {
    Optional<ApiError> e = guard.check(header);
    assertThat(e).as("header %s", header).isPresent();
    assertThat(e.get().message()).doesNotContain(TOKEN).doesNotContain("s3cret");
    assertThat(e.get().toJson().encode()).doesNotContain(TOKEN);
    return e.get();
  }

  @Test
  void aMissingHeaderIs401() {
    assertThat(refused(null).status()).isEqualTo(401);
    assertThat(refused("").status()).isEqualTo(401);
    assertThat(refused("   ").status()).isEqualTo(401);
    assertThat(refused(null).message()).contains("Authorization: Bearer");
  }

  @Test
  void aHeaderThatIsNotBearerIs401() {
    assertThat(refused("Basic dXNlcjpwYXNz").status()).isEqualTo(401);
    assertThat(refused(TOKEN).status()).isEqualTo(401);
    assertThat(refused("Bearer").status()).isEqualTo(401);
    assertThat(refused("Token " + TOKEN).status()).isEqualTo(401);
    assertThat(refused("Basic x").message()).contains("Bearer <token>");
  }

  @Test
  void aWrongTokenIs403() {
    assertThat(refused("Bearer wrong").status()).isEqualTo(403);
    assertThat(refused("Bearer " + TOKEN + "x").status()).isEqualTo(403);
    assertThat(refused("Bearer " + TOKEN.substring(1)).status()).isEqualTo(403);
    assertThat(refused("Bearer " + TOKEN.toUpperCase()).status()).isEqualTo(403);
    assertThat(refused("Bearer ").status()).isEqualTo(403);
    assertThat(refused("Bearer wrong").message()).isEqualTo("the dashboard token is wrong");
  }

  @Test
  void theRightTokenPasses() {
    assertThat(guard.check("Bearer " + TOKEN)).isEmpty();
    // the scheme is case-insensitive (RFC 7235) and surrounding spaces of the token are ignored
    assertThat(guard.check("bearer " + TOKEN)).isEmpty();
    assertThat(guard.check("Bearer   " + TOKEN + " ")).isEmpty();
  }

  @Test
  void anEmptyTokenIsRefused() {
    assertThatThrownBy(() -> new TokenGuard("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenGuard("  ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenGuard(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void generatedTokensAreDistinct32CharUrlSafeStrings() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      String t = TokenGuard.generate();
      assertThat(t).hasSize(32).matches("[A-Za-z0-9_-]{32}");
      assertThat(seen.add(t)).as("duplicate token %s", t).isTrue();
      assertThat(new TokenGuard(t).check("Bearer " + t)).isEmpty();
    }
  }
}
