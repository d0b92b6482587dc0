package io.agentnet.bridge;

import java.util.Arrays;
import java.util.Objects;

/**
 * A NATS subject or subject pattern: dot-separated tokens where {@code *} matches exactly one token
 * and a trailing {@code >} matches one or more. Used to check that a concrete subject a caller asks
 * for is allowed by a mapping rule, without a round trip to the server.
 */
public final class SubjectPattern {

  private final String pattern;
  private final String[] tokens;
  private final boolean literal;

  private SubjectPattern(String pattern) {
    this.pattern = pattern;
    this.tokens = pattern.split("\\.", -1);
    this.literal = Arrays.stream(tokens).noneMatch(t -> t.equals("*") || t.equals(">"));
  }

  /** Parses a pattern, refusing anything NATS would refuse, with the reason. */
  public static SubjectPattern of(String pattern) {
    String problem = problem(pattern, true);
    if (problem != null) {
      throw new IllegalArgumentException("invalid NATS subject pattern \"" + pattern + "\": " + problem);
    }
    return new SubjectPattern(pattern);
  }

  /** Why a subject is not a valid concrete (wildcard-free) subject, or null when it is. */
  public static String concreteSubjectProblem(String subject) {
    String problem = problem(subject, false);
    if (problem == null && !new SubjectPattern(subject).literal) {
      return "wildcards are not allowed in a concrete subject";
    }
    return problem;
  }

  private static String problem(String subject, boolean wildcardsAllowed) {
    if (subject == null || subject.isEmpty()) {
      return "it is empty";
    }
    String[] parts = subject.split("\\.", -1);
    for (int i = 0; i < parts.length; i++) {
      String token = parts[i];
      if (token.isEmpty()) {
        return "empty token at position " + (i + 1);
      }
      for (int c = 0; c < token.length(); c++) {
        char ch = token.charAt(c);
        if (Character.isWhitespace(ch) || ch == 0) {
          return "whitespace or control character in token \"" + token + "\"";
        }
      }
      boolean wildcard = token.equals("*") || token.equals(">");
      if (!wildcard && (token.contains("*") || token.contains(">"))) {
        return "a wildcard must be a whole token, not part of \"" + token + "\"";
      }
      if (token.equals(">") && i != parts.length - 1) {
        return "'>' may only be the last token";
      }
      if (wildcard && !wildcardsAllowed) {
        return "wildcards are not allowed in a concrete subject";
      }
    }
    return null;
  }

  /** True when the concrete {@code subject} is matched by this pattern. */
  public boolean matches(String subject) {
    if (literal) {
      return pattern.equals(subject);
    }
    String[] parts = subject.split("\\.", -1);
    for (int i = 0; i < tokens.length; i++) {
      if (tokens[i].equals(">")) {
        return parts.length > i;
      }
      if (i >= parts.length || parts[i].isEmpty()
          || !tokens[i].equals("*") && !tokens[i].equals(parts[i])) {
        return false;
      }
    }
    return parts.length == tokens.length;
  }

  /** True when the pattern has no wildcard, so it names exactly one subject. */
  public boolean isLiteral() {
    return literal;
  }

  public String pattern() {
    return pattern;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SubjectPattern other && other.pattern.equals(pattern);
  }

  @Override
  public int hashCode() {
    return Objects.hash(pattern);
  }

  @Override
  public String toString() {
    return pattern;
  }
}
