package io.agentnet.mcp.cloud;

import io.agentnet.runtime.mcp.ToolException;

import java.util.regex.Pattern;

/**
 * The S3 rules for bucket names (general purpose buckets), checked before any request so a bad
 * name gets an error that says which rule it broke. Both providers use them: a name that works
 * locally works on S3 too.
 */
public final class BucketNames {

  private static final Pattern ALLOWED = Pattern.compile("[a-z0-9.-]+");
  private static final Pattern IP_ADDRESS = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private BucketNames() {
  }

  /** Returns the name when valid; otherwise throws a {@link ToolException} naming the rule. */
  public static String validate(String name) {
    if (name == null || name.isEmpty()) {
      throw invalid(name, "it is empty");
    }
    if (name.length() < 3 || name.length() > 63) {
      throw invalid(name, "it must be 3 to 63 characters long");
    }
    if (!ALLOWED.matcher(name).matches()) {
      throw invalid(name, "only lowercase letters, digits, dots and hyphens are allowed");
    }
    if (!Character.isLetterOrDigit(name.charAt(0)) || !Character.isLetterOrDigit(name.charAt(name.length() - 1))) {
      throw invalid(name, "it must begin and end with a letter or digit");
    }
    if (name.contains("..")) {
      throw invalid(name, "it must not contain two dots in a row");
    }
    if (IP_ADDRESS.matcher(name).matches()) {
      throw invalid(name, "it must not look like an IP address");
    }
    if (name.startsWith("xn--") || name.startsWith("sthree-")) {
      throw invalid(name, "the prefixes xn-- and sthree- are reserved");
    }
    if (name.endsWith("-s3alias") || name.endsWith("--ol-s3")) {
      throw invalid(name, "the suffixes -s3alias and --ol-s3 are reserved");
    }
    return name;
  }

  /** True when {@link #validate} would accept the name. */
  public static boolean isValid(String name) {
    try {
      validate(name);
      return true;
    } catch (ToolException e) {
      return false;
    }
  }

  private static ToolException invalid(String name, String why) {
    return new ToolException("invalid bucket name \"" + (name == null ? "" : name) + "\": " + why);
  }
}
