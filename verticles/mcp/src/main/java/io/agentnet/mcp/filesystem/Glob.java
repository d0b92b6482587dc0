package io.agentnet.mcp.filesystem;

import io.agentnet.runtime.mcp.ToolException;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A glob matched against '/'-separated relative paths, with the semantics agents know from
 * minimatch (dot files included): {@code *} and {@code ?} stay within one path segment,
 * {@code **} as a whole segment spans zero or more segments (so {@code **}{@code /*.js} also
 * matches {@code a.js}), {@code [abc]}, {@code [!abc]} and {@code {a,b}} as usual, and a
 * backslash escapes the next character. The JDK's own glob differs on {@code **}/, hence this.
 */
public final class Glob {

  private final String source;
  private final Pattern regex;

  private Glob(String source, Pattern regex) {
    this.source = source;
    this.regex = regex;
  }

  /**
   * Compiles a pattern.
   *
   * @throws ToolException naming the pattern when it is malformed (an unclosed brace)
   */
  public static Glob compile(String pattern) {
    return new Glob(pattern, Pattern.compile(toRegex(pattern)));
  }

  /** Whether the relative path (segments separated by '/') matches the whole pattern. */
  public boolean matches(String relativePath) {
    return regex.matcher(relativePath).matches();
  }

  @Override
  public String toString() {
    return source;
  }

  static String toRegex(String pattern) {
    String[] segments = pattern.split("/", -1);
    StringBuilder re = new StringBuilder(pattern.length() * 2);
    boolean needSlash = false;
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      boolean last = i == segments.length - 1;
      if (segment.equals("**")) {
        if (last) {
          // "**" at the end: anything below, or nothing at all
          re.append(needSlash ? "(?:/.*)?" : ".*");
        } else {
          // "**/" : zero or more whole segments, each with its slash
          if (needSlash) {
            re.append('/');
          }
          re.append("(?:[^/]+/)*");
          needSlash = false;
        }
        continue;
      }
      if (needSlash) {
        re.append('/');
      }
      appendSegment(re, segment, pattern);
      needSlash = true;
    }
    return re.toString();
  }

  private static void appendSegment(StringBuilder re, String segment, String pattern) {
    int braces = 0;
    int n = segment.length();
    for (int i = 0; i < n; i++) {
      char c = segment.charAt(i);
      switch (c) {
        case '*' -> {
          while (i + 1 < n && segment.charAt(i + 1) == '*') {
            i++;
          }
          re.append("[^/]*");
        }
        case '?' -> re.append("[^/]");
        case '[' -> i = appendClass(re, segment, i);
        case '{' -> {
          braces++;
          re.append("(?:");
        }
        case '}' -> {
          if (braces > 0) {
            braces--;
            re.append(')');
          } else {
            re.append("\\}");
          }
        }
        case ',' -> re.append(braces > 0 ? "|" : ",");
        case '\\' -> {
          if (i + 1 < n) {
            i++;
            appendLiteral(re, segment.charAt(i));
          } else {
            re.append("\\\\");
          }
        }
        default -> appendLiteral(re, c);
      }
    }
    if (braces > 0) {
      throw new ToolException("glob pattern \"" + pattern + "\" has a { without its closing }"
          + " (braces must close within one path segment)");
    }
  }

  /** A [...] class starting at index {@code open}; returns the index of its ']', or treats '[' literally. */
  private static int appendClass(StringBuilder re, String segment, int open) {
    int i = open + 1;
    boolean negated = i < segment.length() && (segment.charAt(i) == '!' || segment.charAt(i) == '^');
    if (negated) {
      i++;
    }
    int firstMember = i;
    int close = -1;
    for (int j = firstMember; j < segment.length(); j++) {
      // a ']' right after the opening is a member, not the end
      if (segment.charAt(j) == ']' && j > firstMember) {
        close = j;
        break;
      }
    }
    if (close < 0) {
      appendLiteral(re, '[');
      return open;
    }
    re.append(negated ? "[^/" : "[");
    for (int j = firstMember; j < close; j++) {
      char c = segment.charAt(j);
      if (c == '\\' || c == '[' || c == ']' || c == '&' || c == '^') {
        re.append('\\');
      }
      re.append(c);
    }
    re.append(']');
    return close;
  }

  private static void appendLiteral(StringBuilder re, char c) {
    if ("\\.[]{}()*+-?^$|".indexOf(c) >= 0) {
      re.append('\\');
    }
    re.append(c);
  }

  /**
   * Exclusions as directory_tree and search_files apply them: a pattern with a {@code *} is
   * matched against the path relative to the starting directory; a plain name or path also
   * excludes that name at any depth and everything under it (so {@code node_modules} hides
   * every node_modules directory).
   */
  public static final class Excludes {
    private final List<Glob> globs;

    private Excludes(List<Glob> globs) {
      this.globs = globs;
    }

    public static Excludes of(List<String> patterns) {
      List<Glob> globs = new java.util.ArrayList<>();
      for (String pattern : patterns) {
        if (pattern.isEmpty()) {
          continue;
        }
        globs.add(compile(pattern));
        if (!pattern.contains("*")) {
          globs.add(compile("**/" + pattern));
          globs.add(compile("**/" + pattern + "/**"));
        }
      }
      return new Excludes(List.copyOf(globs));
    }

    public boolean isEmpty() {
      return globs.isEmpty();
    }

    public boolean excludes(String relativePath) {
      for (Glob glob : globs) {
        if (glob.matches(relativePath)) {
          return true;
        }
      }
      return false;
    }
  }
}
