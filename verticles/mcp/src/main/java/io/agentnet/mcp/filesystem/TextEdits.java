package io.agentnet.mcp.filesystem;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import io.agentnet.runtime.mcp.ToolException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * edit_file's text logic, free of I/O: applies edits in order to text with normalised line
 * endings and renders the change as a unified diff.
 *
 * <p>Each edit replaces the first exact occurrence of its old text. When there is none, the old
 * text is looked for line by line ignoring leading and trailing whitespace. A match there is
 * replaced keeping the file's indentation: the first new line gets the matched line's, and the
 * later ones move by as much as the file indents the matched lines deeper (or shallower) than the
 * old text did, so their indentation relative to each other stays as written. An edit that
 * matches nowhere fails the whole batch.
 */
public final class TextEdits {

  private static final int CONTEXT_LINES = 3;

  /** One replacement: the text to find (exactly, or line by line up to whitespace) and its replacement. */
  public record Edit(String oldText, String newText) {
  }

  private TextEdits() {
  }

  /** CRLF to LF, as both the file and the edits are compared. */
  public static String normalizeLineEndings(String text) {
    return text.indexOf('\r') < 0 ? text : text.replace("\r\n", "\n");
  }

  /**
   * The text after all edits, applied in order (each sees the result of the ones before).
   *
   * @throws ToolException naming the old text of the first edit that matches nowhere
   */
  public static String apply(String content, List<Edit> edits) {
    String text = normalizeLineEndings(content);
    for (int i = 0; i < edits.size(); i++) {
      Edit edit = edits.get(i);
      if (edit.oldText().isEmpty()) {
        throw new ToolException("edit " + (i + 1) + " has an empty oldText; give the text to replace"
            + " (use write_file to replace a whole file)");
      }
      String oldText = normalizeLineEndings(edit.oldText());
      String newText = normalizeLineEndings(edit.newText());
      int at = text.indexOf(oldText);
      if (at >= 0) {
        text = text.substring(0, at) + newText + text.substring(at + oldText.length());
        continue;
      }
      String replaced = replaceIgnoringWhitespace(text, oldText, newText);
      if (replaced == null) {
        throw new ToolException("Could not find exact match for edit " + (i + 1) + " (nothing was changed):\n"
            + edit.oldText());
      }
      text = replaced;
    }
    return text;
  }

  private static String replaceIgnoringWhitespace(String text, String oldText, String newText) {
    String[] oldLines = oldText.split("\n", -1);
    String[] lines = text.split("\n", -1);
    String[] oldStripped = new String[oldLines.length];
    for (int j = 0; j < oldLines.length; j++) {
      oldStripped[j] = oldLines[j].strip();
    }
    for (int i = 0; i + oldLines.length <= lines.length; i++) {
      if (!matchesAt(lines, i, oldStripped)) {
        continue;
      }
      String baseIndent = indentOf(lines[i]);
      int shift = indentShift(lines, i, oldLines);
      char unit = baseIndent.indexOf('\t') >= 0 ? '\t' : ' ';
      String[] newLines = newText.split("\n", -1);
      List<String> replacement = new ArrayList<>(newLines.length);
      replacement.add(baseIndent + newLines[0].stripLeading());
      for (int j = 1; j < newLines.length; j++) {
        replacement.add(reindent(newLines[j], shift, unit));
      }
      List<String> result = new ArrayList<>(lines.length - oldLines.length + replacement.size());
      result.addAll(Arrays.asList(lines).subList(0, i));
      result.addAll(replacement);
      result.addAll(Arrays.asList(lines).subList(i + oldLines.length, lines.length));
      return String.join("\n", result);
    }
    return null;
  }

  /**
   * How much deeper the file indents the matched lines than the old text does: the smallest
   * difference over its non-blank lines. The first line counts only when the old text gives it an
   * indentation (it is usually copied without one while the lines below keep theirs).
   */
  private static int indentShift(String[] lines, int start, String[] oldLines) {
    boolean firstCounts = !indentOf(oldLines[0]).isEmpty();
    Integer shift = null;
    for (int k = firstCounts ? 0 : 1; k < oldLines.length; k++) {
      if (oldLines[k].isBlank()) {
        continue;
      }
      int difference = indentOf(lines[start + k]).length() - indentOf(oldLines[k]).length();
      shift = shift == null ? difference : Math.min(shift, difference);
    }
    if (shift == null) {
      shift = indentOf(lines[start]).length() - indentOf(oldLines[0]).length();
    }
    return shift;
  }

  /** A replacement line moved by the shift, keeping its indentation relative to the others. */
  private static String reindent(String line, int shift, char unit) {
    if (line.isBlank() || shift == 0) {
      return line;
    }
    if (shift > 0) {
      return String.valueOf(unit).repeat(shift) + line;
    }
    int remove = Math.min(-shift, indentOf(line).length());
    return line.substring(remove);
  }

  private static boolean matchesAt(String[] lines, int start, String[] oldStripped) {
    for (int j = 0; j < oldStripped.length; j++) {
      if (!lines[start + j].strip().equals(oldStripped[j])) {
        return false;
      }
    }
    return true;
  }

  private static String indentOf(String line) {
    int end = 0;
    while (end < line.length() && Character.isWhitespace(line.charAt(end))) {
      end++;
    }
    return line.substring(0, end);
  }

  /**
   * A unified diff (three lines of context) of two texts, headed like git's and the reference
   * server's: an Index line, a rule, then ---/+++ lines naming the file.
   */
  public static String unifiedDiff(String original, String revised, String fileName) {
    List<String> before = lines(normalizeLineEndings(original));
    List<String> after = lines(normalizeLineEndings(revised));
    Patch<String> patch = DiffUtils.diff(before, after);
    StringBuilder out = new StringBuilder();
    out.append("Index: ").append(fileName).append('\n');
    out.append("=".repeat(67)).append('\n');
    out.append("--- ").append(fileName).append("\toriginal\n");
    out.append("+++ ").append(fileName).append("\tmodified\n");
    List<String> unified = UnifiedDiffUtils.generateUnifiedDiff(fileName, fileName, before, patch, CONTEXT_LINES);
    // the library's own ---/+++ header lines come first; ours replace them
    for (int i = Math.min(2, unified.size()); i < unified.size(); i++) {
      out.append(unified.get(i)).append('\n');
    }
    return out.toString();
  }

  /** The diff in a markdown code fence long enough not to be closed by backticks inside it. */
  public static String fenced(String diff) {
    int ticks = 3;
    while (diff.contains("`".repeat(ticks))) {
      ticks++;
    }
    String fence = "`".repeat(ticks);
    return fence + "diff\n" + diff + fence + "\n\n";
  }

  /** Lines of a text; a final newline ends the last line rather than starting an empty one. */
  private static List<String> lines(String text) {
    if (text.isEmpty()) {
      return List.of();
    }
    String[] parts = text.split("\n", -1);
    int count = text.endsWith("\n") ? parts.length - 1 : parts.length;
    return Arrays.asList(parts).subList(0, count);
  }
}
