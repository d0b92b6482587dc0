package io.agentnet.mcp.filesystem;

import io.agentnet.runtime.mcp.ToolException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GlobTest {

  @Test
  void starStaysWithinOneSegment() {
    Glob glob = Glob.compile("*.txt");
    assertThat(glob.matches("a.txt")).isTrue();
    assertThat(glob.matches(".hidden.txt")).isTrue();
    assertThat(glob.matches("dir/a.txt")).isFalse();
    assertThat(glob.matches("a.txt.bak")).isFalse();
  }

  @Test
  void globstarSpansZeroOrMoreSegments() {
    Glob glob = Glob.compile("**/*.js");
    assertThat(glob.matches("a.js")).isTrue();
    assertThat(glob.matches("src/a.js")).isTrue();
    assertThat(glob.matches("src/deep/er/a.js")).isTrue();
    assertThat(glob.matches("src/a.ts")).isFalse();

    Glob middle = Glob.compile("src/**/test/*.java");
    assertThat(middle.matches("src/test/A.java")).isTrue();
    assertThat(middle.matches("src/x/y/test/A.java")).isTrue();
    assertThat(middle.matches("lib/test/A.java")).isFalse();

    Glob trailing = Glob.compile("build/**");
    assertThat(trailing.matches("build")).isTrue();
    assertThat(trailing.matches("build/a/b.class")).isTrue();
    assertThat(trailing.matches("buildx/a")).isFalse();

    assertThat(Glob.compile("**").matches("any/thing")).isTrue();
  }

  @Test
  void questionMarkClassesBracesAndEscapes() {
    assertThat(Glob.compile("file?.md").matches("file1.md")).isTrue();
    assertThat(Glob.compile("file?.md").matches("file/.md")).isFalse();
    assertThat(Glob.compile("[abc].txt").matches("b.txt")).isTrue();
    assertThat(Glob.compile("[!abc].txt").matches("b.txt")).isFalse();
    assertThat(Glob.compile("[!abc].txt").matches("d.txt")).isTrue();
    assertThat(Glob.compile("[a-c]1").matches("b1")).isTrue();
    assertThat(Glob.compile("*.{ts,tsx}").matches("App.tsx")).isTrue();
    assertThat(Glob.compile("*.{ts,tsx}").matches("App.js")).isFalse();
    assertThat(Glob.compile("a\\*b").matches("a*b")).isTrue();
    assertThat(Glob.compile("a\\*b").matches("axb")).isFalse();
    // regex metacharacters are literal
    assertThat(Glob.compile("v1.0+(x)$").matches("v1.0+(x)$")).isTrue();
    assertThat(Glob.compile("v1.0").matches("v1x0")).isFalse();
    assertThat(Glob.compile("[oops").matches("[oops")).isTrue();
  }

  @Test
  void anUnclosedBraceIsAClearError() {
    assertThatThrownBy(() -> Glob.compile("*.{ts,js"))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("*.{ts,js");
  }

  @Test
  void excludesTreatPlainNamesAsAnyDepthAndStarPatternsAsRelativePaths() {
    Glob.Excludes names = Glob.Excludes.of(List.of("node_modules", ".env"));
    assertThat(names.excludes("node_modules")).isTrue();
    assertThat(names.excludes("nested/node_modules")).isTrue();
    assertThat(names.excludes("nested/node_modules/x.js")).isTrue();
    assertThat(names.excludes(".env")).isTrue();
    assertThat(names.excludes(".env.local")).isFalse();
    assertThat(names.excludes("src")).isFalse();

    Glob.Excludes star = Glob.Excludes.of(List.of("*.env"));
    assertThat(star.excludes(".env")).isTrue();
    assertThat(star.excludes(".env.local")).isFalse();
    assertThat(Glob.Excludes.of(List.of()).isEmpty()).isTrue();
  }
}
