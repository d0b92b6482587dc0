package io.agentnet.mcp.filesystem;

import io.agentnet.bridge.config.ConfigException;
import io.agentnet.bridge.config.Environment;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of the filesystem server: the allowed directories, whether it may change anything,
 * and how many bytes one call may read or write.
 *
 * <p>From config ({@link #fromConfig}): {@code roots} (array of directories), {@code readOnly},
 * {@code maxReadBytes}, {@code maxWriteBytes}. The environment overrides them: {@code
 * MCP_FS_READ_ONLY}, {@code MCP_FS_MAX_READ_BYTES}, {@code MCP_FS_MAX_WRITE_BYTES}; {@code
 * WORKSPACE_DIR} is the single root when config names none (else {@value #DEFAULT_ROOT}).
 */
public final class FilesystemOptions {

  public static final String DEFAULT_ROOT = "./workspace";
  public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;

  private final List<Path> roots;
  private final boolean readOnly;
  private final long maxReadBytes;
  private final long maxWriteBytes;

  private FilesystemOptions(Builder b) {
    this.roots = b.roots.isEmpty() ? List.of(Path.of(DEFAULT_ROOT)) : List.copyOf(b.roots);
    this.readOnly = b.readOnly;
    this.maxReadBytes = positive("maxReadBytes", b.maxReadBytes);
    this.maxWriteBytes = positive("maxWriteBytes", b.maxWriteBytes);
  }

  /** A builder with the defaults: root {@value #DEFAULT_ROOT}, writable, 10 MiB limits. */
  public static Builder builder() {
    return new Builder();
  }

  /** The defaults with these roots (as the stdio launcher's command line gives them). */
  public static FilesystemOptions ofRoots(List<String> roots) {
    return builder().roots(roots.stream().map(Path::of).toList()).build();
  }

  /**
   * From the server's config section (may be null) and the environment, which wins over config.
   *
   * @throws ConfigException naming the key or variable that is wrong
   */
  public static FilesystemOptions fromConfig(JsonObject section, Environment env) {
    JsonObject json = section == null ? new JsonObject() : section;
    Builder b = builder();
    Object roots = json.getValue("roots");
    if (roots != null) {
      if (!(roots instanceof JsonArray array) || array.isEmpty()) {
        throw new ConfigException("filesystem.roots: expected a non-empty array of directory paths");
      }
      List<Path> paths = new ArrayList<>();
      for (Object root : array) {
        if (!(root instanceof String s) || s.isBlank()) {
          throw new ConfigException("filesystem.roots: every entry must be a directory path, got " + root);
        }
        paths.add(Path.of(s));
      }
      b.roots(paths);
    } else {
      b.roots(List.of(Path.of(env.get("WORKSPACE_DIR", DEFAULT_ROOT))));
    }
    Object readOnly = json.getValue("readOnly");
    if (readOnly != null && !(readOnly instanceof Boolean)) {
      throw new ConfigException("filesystem.readOnly: expected true or false, got " + readOnly);
    }
    b.readOnly(env.bool("MCP_FS_READ_ONLY", Boolean.TRUE.equals(readOnly)));
    b.maxReadBytes(limit(json, "maxReadBytes", env, "MCP_FS_MAX_READ_BYTES"));
    b.maxWriteBytes(limit(json, "maxWriteBytes", env, "MCP_FS_MAX_WRITE_BYTES"));
    return b.build();
  }

  private static long limit(JsonObject json, String key, Environment env, String variable) {
    long value = DEFAULT_MAX_BYTES;
    Object configured = json.getValue(key);
    if (configured != null) {
      if (!(configured instanceof Number n) || n.longValue() < 1 || n.doubleValue() != n.longValue()) {
        throw new ConfigException("filesystem." + key + ": expected a positive number of bytes, got " + configured);
      }
      value = n.longValue();
    }
    if (env.get(variable) != null) {
      value = env.integer(variable, 0);
      if (value < 1) {
        throw new ConfigException(variable + ": expected a positive number of bytes, got " + value);
      }
    }
    return value;
  }

  private static long positive(String name, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1 byte, got " + value);
    }
    return value;
  }

  /** The same settings with other roots (a launcher's command line replacing the configured ones). */
  public FilesystemOptions withRoots(List<Path> newRoots) {
    return builder().roots(newRoots).readOnly(readOnly).maxReadBytes(maxReadBytes).maxWriteBytes(maxWriteBytes)
        .build();
  }

  /** The allowed directories as given (not yet resolved); relative paths resolve against the first. */
  public List<Path> roots() {
    return roots;
  }

  /** When true the server offers only the tools that read. */
  public boolean readOnly() {
    return readOnly;
  }

  /** The most bytes one call reads (a file, or all files of read_multiple_files together). */
  public long maxReadBytes() {
    return maxReadBytes;
  }

  /** The most bytes one write_file or edit_file writes. */
  public long maxWriteBytes() {
    return maxWriteBytes;
  }

  @Override
  public String toString() {
    return "FilesystemOptions{roots=" + roots + ", readOnly=" + readOnly + ", maxReadBytes=" + maxReadBytes
        + ", maxWriteBytes=" + maxWriteBytes + "}";
  }

  /** Builds {@link FilesystemOptions}; unset values keep the defaults. */
  public static final class Builder {
    private final List<Path> roots = new ArrayList<>();
    private boolean readOnly;
    private long maxReadBytes = DEFAULT_MAX_BYTES;
    private long maxWriteBytes = DEFAULT_MAX_BYTES;

    private Builder() {
    }

    /** Replaces the roots. */
    public Builder roots(List<Path> directories) {
      roots.clear();
      roots.addAll(directories);
      return this;
    }

    /** Adds one root. */
    public Builder root(Path directory) {
      roots.add(directory);
      return this;
    }

    public Builder readOnly(boolean value) {
      this.readOnly = value;
      return this;
    }

    public Builder maxReadBytes(long bytes) {
      this.maxReadBytes = bytes;
      return this;
    }

    public Builder maxWriteBytes(long bytes) {
      this.maxWriteBytes = bytes;
      return this;
    }

    public FilesystemOptions build() {
      return new FilesystemOptions(this);
    }
  }
}
