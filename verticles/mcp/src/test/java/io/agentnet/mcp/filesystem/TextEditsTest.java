package io.agentnet.mcp.filesystem;

import io.agentnet.mcp.filesystem.TextEdits.Edit;
import io.agentnet.runtime.mcp.ToolException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextEditsTest {

  @Test
  void exactMatchReplacesTheFirstOccurrenceLiterally() {
    assertThat(TextEdits.apply("line1\nline2\nline3\n", List.of(new Edit("line2", "modified line2"))))
        .isEqualTo("line1\nmodified line2\nline3\n");
    assertThat(TextEdits.apply("a a a", List.of(new Edit("a", "b")))).isEqualTo("b a a");
    // replacement text is literal: no $-group expansion
    assertThat(TextEdits.apply("x\nline2\n", List.of(new Edit("line2", "price=$$; match=$&; $1"))))
        .isEqualTo("x\nprice=$$; match=$&; $1\n");
  }

  @Test
  void editsApplyInSequenceEachSeeingTheOnesBefore() {
    assertThat(TextEdits.apply("line1\nline2\nline3\n", List.of(
        new Edit("line1", "first line"),
        new Edit("line3", "third line"),
        new Edit("first line\nline2", "one\ntwo"))))
        .isEqualTo("one\ntwo\nthird line\n");
  }

  @Test
  void whitespaceTolerantMatchKeepsTheOriginalIndentation() {
    assertThat(TextEdits.apply("  line1\n    line2\n  line3\n", List.of(new Edit("line2 ", "modified line2"))))
        .isEqualTo("  line1\n    modified line2\n  line3\n");
  }

  @Test
  void multiLineWhitespaceTolerantMatchKeepsRelativeIndentation() {
    String content = "class A {\n    void f() {\n        call();\n    }\n}\n";
    String oldText = "void f() {\n  call();\n}";
    String newText = "void g() {\n  other();\n  call();\n}";
    assertThat(TextEdits.apply(content, List.of(new Edit(oldText, newText))))
        .isEqualTo("class A {\n    void g() {\n      other();\n      call();\n    }\n}\n");
  }

  @Test
  void oldTextWithAnUnindentedFirstLineAndAbsoluteLaterLinesKeepsTheLaterLinesAsWritten() {
    String content = "    if (x) {\n        y();\n    }\n";
    // a trailing space defeats the exact match; the later lines carry the file's own indentation
    String oldText = "if (x) {\n        y(); \n    }";
    String newText = "if (z) {\n        w();\n        v();\n    }";
    assertThat(TextEdits.apply(content, List.of(new Edit(oldText, newText))))
        .isEqualTo("    if (z) {\n        w();\n        v();\n    }\n");
  }

  @Test
  void overIndentedOldTextMovesTheNewLinesLeft() {
    String content = "a:\n  b: 1\n  c: 2\n";
    String oldText = "      b: 1\n      c: 2 ";
    String newText = "      b: 10\n      c: 20\n        d: 30";
    assertThat(TextEdits.apply(content, List.of(new Edit(oldText, newText))))
        .isEqualTo("a:\n  b: 10\n  c: 20\n    d: 30\n");
  }

  @Test
  void referenceIndentationCases() {
    assertThat(TextEdits.apply("    if (condition) {\n        doSomething();\n    }",
        List.of(new Edit("doSomething();", "doSomethingElse();\n        doAnotherThing();"))))
        .isEqualTo("    if (condition) {\n        doSomethingElse();\n        doAnotherThing();\n    }");
    assertThat(TextEdits.apply("function test() {\n  console.log(\"hello\");\n  return true;\n}",
        List.of(new Edit("  console.log(\"hello\");\n  return true;",
            "  console.log(\"world\");\n  console.log(\"test\");\n  return false;"))))
        .isEqualTo("function test() {\n  console.log(\"world\");\n  console.log(\"test\");\n  return false;\n}");
  }

  @Test
  void lineEndingsAreNormalisedInTheFileAndTheEdits() {
    assertThat(TextEdits.apply("line1\r\nline2\r\nline3\r\n", List.of(new Edit("line1\r\nline2", "a\r\nb"))))
        .isEqualTo("a\nb\nline3\n");
  }

  @Test
  void anEditThatMatchesNowhereFailsNamingItsText() {
    assertThatThrownBy(() -> TextEdits.apply("line1\nline2\n", List.of(
        new Edit("line1", "ok"), new Edit("nonexistent line", "x"))))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("Could not find exact match for edit 2")
        .hasMessageContaining("nonexistent line");
    assertThatThrownBy(() -> TextEdits.apply("abc", List.of(new Edit("", "x"))))
        .hasMessageContaining("empty oldText");
  }

  @Test
  void unifiedDiffShowsTheChangeWithContextAndHeaders() {
    String diff = TextEdits.unifiedDiff("a\nb\nc\nd\ne\nf\ng\n", "a\nb\nc\nD\ne\nf\ng\n", "notes.txt");
    assertThat(diff).startsWith("Index: notes.txt\n" + "=".repeat(67) + "\n--- notes.txt\toriginal\n"
        + "+++ notes.txt\tmodified\n");
    assertThat(diff).contains("@@ -1,7 +1,7 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n");
    assertThat(TextEdits.unifiedDiff("same\n", "same\n", "f")).doesNotContain("@@");
  }

  @Test
  void fencesAreLongerThanAnyBacktickRunInside() {
    assertThat(TextEdits.fenced("x\n")).isEqualTo("```diff\nx\n```\n\n");
    assertThat(TextEdits.fenced("has ``` inside\n")).startsWith("````diff\n").endsWith("````\n\n");
  }
}
