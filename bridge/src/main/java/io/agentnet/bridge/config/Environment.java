package io.agentnet.bridge.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Environment variables with the Docker-secrets convention: a secret {@code X} may instead be read
 * from the file named by {@code X_FILE}. Values are never echoed in errors.
 */
public final class Environment {

  private final Map<String, String> env;

  public Environment(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  public static Environment system() {
    return new Environment(System.getenv());
  }

  /** The non-blank value of {@code name}, or null. */
  public String get(String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  public String get(String name, String def) {
    String v = get(name);
    return v == null ? def : v;
  }

  /** An integer setting, with an error naming the variable when it is not one. */
  public int integer(String name, int def) {
    String v = get(name);
    if (v == null) {
      return def;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new ConfigException(name + ": expected an integer, got \"" + v + "\"");
    }
  }

  public boolean bool(String name, boolean def) {
    String v = get(name);
    if (v == null) {
      return def;
    }
    return switch (v.toLowerCase()) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw new ConfigException(name + ": expected true or false, got \"" + v + "\"");
    };
  }

  /**
   * A secret: {@code name} itself, else the contents of the file named by {@code name_FILE} (one
   * trailing newline removed), else null. This reads a file: call it at start, not on an event loop.
   */
  public String secret(String name) {
    String direct = env.get(name);
    if (direct != null && !direct.isEmpty()) {
      return direct;
    }
    String file = get(name + "_FILE");
    if (file == null) {
      return null;
    }
    try {
      String content = Files.readString(Path.of(file), StandardCharsets.UTF_8);
      return content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
    } catch (IOException e) {
      throw new UncheckedIOException(name + "_FILE names " + file + ", which cannot be read ("
          + e.getClass().getSimpleName() + ")", e);
    }
  }
}
