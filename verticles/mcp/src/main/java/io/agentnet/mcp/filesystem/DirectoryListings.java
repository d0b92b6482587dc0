package io.agentnet.mcp.filesystem;

import io.agentnet.runtime.mcp.ToolException;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads directories, and remembers the names and types of recently listed ones so that listing
 * an unchanged directory again costs one stat instead of a read and a stat per entry (Java cannot
 * see the entry types readdir already knows).
 *
 * <p>Adding, removing or renaming an entry, the only ways an entry's type can change, updates the
 * directory's modification time, so a remembered listing is reused only while the directory's
 * identity and modification time are what they were. Timestamps are coarse (a kernel tick), so a
 * listing is remembered only when the directory had not changed for a while before it was read:
 * a change in the same tick as the read cannot then go unnoticed.
 */
final class DirectoryListings {

  /** A directory entry: its name and its own type (links not followed). */
  record Listed(String name, String type) {
    boolean isDirectory() {
      return "directory".equals(type);
    }
  }

  /** A directory entry with its own attributes (links not followed; null when it vanished meanwhile). */
  record Entry(String name, BasicFileAttributes attributes) {
    String type() {
      if (attributes == null || attributes.isRegularFile()) {
        return "file";
      }
      if (attributes.isDirectory()) {
        return "directory";
      }
      return attributes.isSymbolicLink() ? "symlink" : "other";
    }

    boolean isDirectory() {
      return attributes != null && attributes.isDirectory();
    }

    boolean isSymbolicLink() {
      return attributes != null && attributes.isSymbolicLink();
    }

    /** The file's size; 0 for directories, whose own size means nothing to a reader. */
    long size() {
      return attributes == null || attributes.isDirectory() ? 0 : attributes.size();
    }
  }

  private record Snapshot(Object fileKey, FileTime modified, List<Listed> entries) {
  }

  static final long SETTLED_MILLIS = 2_000;

  private final Map<Path, Snapshot> remembered;
  private final AtomicLong reuses = new AtomicLong();

  DirectoryListings(int capacity) {
    this.remembered = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Path, Snapshot> eldest) {
        return size() > capacity;
      }
    };
  }

  /** The entries of a directory with their attributes, sorted by name (always read afresh). */
  static List<Entry> read(Path directory, String shown) {
    List<Entry> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
      for (Path child : stream) {
        entries.add(new Entry(child.getFileName().toString(), attributesOrNull(child)));
      }
    } catch (IOException e) {
      throw Sandbox.failure(shown, e);
    } catch (DirectoryIteratorException e) {
      throw Sandbox.failure(shown, e.getCause());
    }
    entries.sort(Comparator.comparing(Entry::name));
    return entries;
  }

  private static BasicFileAttributes attributesOrNull(Path path) {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, FileIo.NO_FOLLOW);
    } catch (IOException e) {
      return null;
    }
  }

  /** Names and types of a directory's entries, sorted by name; reused while the directory is unchanged. */
  List<Listed> names(Path directory, String shown) {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(directory, BasicFileAttributes.class);
    } catch (IOException e) {
      throw Sandbox.failure(shown, e);
    }
    if (!attributes.isDirectory()) {
      throw new ToolException(shown + ": not a directory");
    }
    Object fileKey = attributes.fileKey();
    FileTime modified = attributes.lastModifiedTime();
    Snapshot snapshot;
    synchronized (remembered) {
      snapshot = remembered.get(directory);
    }
    if (snapshot != null && fileKey != null && fileKey.equals(snapshot.fileKey())
        && modified.equals(snapshot.modified())) {
      reuses.incrementAndGet();
      return snapshot.entries();
    }
    List<Listed> entries = new ArrayList<>();
    for (Entry entry : read(directory, shown)) {
      entries.add(new Listed(entry.name(), entry.type()));
    }
    entries = List.copyOf(entries);
    // the attributes were read before the directory: a change during the read shows as a new time
    boolean settled = System.currentTimeMillis() - modified.toMillis() > SETTLED_MILLIS;
    synchronized (remembered) {
      if (settled && fileKey != null) {
        remembered.put(directory, new Snapshot(fileKey, modified, entries));
      } else if (snapshot != null && Objects.equals(remembered.get(directory), snapshot)) {
        remembered.remove(directory);
      }
    }
    return entries;
  }

  /** How many listings were reused (for tests and diagnostics). */
  long reuses() {
    return reuses.get();
  }
}
