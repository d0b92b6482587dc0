package io.agentnet.mcp.filesystem;

import io.agentnet.runtime.mcp.ToolException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The filesystem server's sandbox: turns a path argument into the real path to work on, and
 * refuses any path whose real location (symbolic links resolved) is outside the allowed roots.
 *
 * <p>Roots are created when missing and resolved to their real paths once, at construction.
 * A path that does not exist yet is judged by the real path of its nearest existing ancestor, so
 * a new file or a chain of new directories may be created under a root but never through a link
 * that leads out. Containment compares path components, not strings, so a root {@code /x/ws}
 * does not admit {@code /x/ws_evil}. Error messages quote only the path the caller gave.
 */
public final class Sandbox {

  private final List<Path> roots;
  /** The roots as configured (absolute, normalised) and as real paths: a caller may use either. */
  private final List<Path> lexicalRoots;

  /**
   * Resolves (and creates, when missing) the given root directories.
   *
   * @throws IllegalArgumentException when there is no root or one is not a directory
   * @throws UncheckedIOException when a root cannot be created or resolved
   */
  public Sandbox(List<Path> rootDirectories) {
    if (rootDirectories == null || rootDirectories.isEmpty()) {
      throw new IllegalArgumentException("the filesystem server needs at least one allowed directory");
    }
    Set<Path> real = new LinkedHashSet<>();
    Set<Path> lexical = new LinkedHashSet<>();
    for (Path root : rootDirectories) {
      Path absolute = root.toAbsolutePath().normalize();
      try {
        if (!Files.exists(absolute)) {
          Files.createDirectories(absolute);
        }
        if (!Files.isDirectory(absolute)) {
          throw new IllegalArgumentException("allowed directory " + root + " is not a directory");
        }
        Path resolved = absolute.toRealPath();
        real.add(resolved);
        lexical.add(absolute);
        lexical.add(resolved);
      } catch (IOException e) {
        throw new UncheckedIOException("allowed directory " + root + " cannot be created or resolved", e);
      }
    }
    this.roots = List.copyOf(real);
    this.lexicalRoots = List.copyOf(lexical);
  }

  /** The allowed directories as real paths, in the order given; relative paths resolve against the first. */
  public List<Path> roots() {
    return roots;
  }

  /** Whether this real path is one of the roots themselves (which must not be moved away). */
  public boolean isRoot(Path realPath) {
    return roots.contains(realPath);
  }

  /** Whether a real (symlink-free) path lies inside a root. */
  public boolean contains(Path realPath) {
    return within(realPath, roots);
  }

  /**
   * The real path to work on for a path argument. For a path that exists this is its real path;
   * for one that does not, the real path of its nearest existing ancestor followed by the missing
   * names (a write or mkdir then creates exactly that).
   *
   * @throws ToolException when the path is malformed or leads outside the allowed directories
   */
  public Path resolve(String requested) {
    Path lexical = lexicalPath(requested);
    if (!within(lexical, lexicalRoots)) {
      throw new ToolException("Access denied - " + requested + " is outside the allowed directories"
          + (climbsUp(requested) ? " (.. leads out of them)" : "")
          + "; see list_allowed_directories");
    }
    Path real = realPath(lexical, requested);
    if (!within(real, roots)) {
      throw new ToolException("Access denied - " + requested
          + " resolves through a symbolic link to a place outside the allowed directories");
    }
    return real;
  }

  /** The argument as an absolute, normalised path (relative ones against the first root). */
  Path lexicalPath(String requested) {
    if (requested.isEmpty()) {
      throw new ToolException("path is empty; give a file or directory inside the allowed directories");
    }
    if (requested.indexOf('\0') >= 0) {
      throw new ToolException("path contains a null byte, which no file name may contain");
    }
    Path path;
    try {
      path = Path.of(requested);
    } catch (InvalidPathException e) {
      throw new ToolException("not a valid path: " + e.getReason());
    }
    if (!path.isAbsolute()) {
      path = roots.get(0).resolve(path);
    }
    return path.normalize();
  }

  private static Path realPath(Path lexical, String requested) {
    try {
      return lexical.toRealPath();
    } catch (NoSuchFileException e) {
      return realPathOfMissing(lexical, requested);
    } catch (IOException e) {
      throw failure(requested, e);
    }
  }

  /**
   * The nearest existing ancestor's real path plus the missing names. A missing intermediate
   * component that is itself a symbolic link (a dangling one) is refused: creating through it
   * would land wherever it points. A dangling link as the last component is fine: writes replace
   * the link itself by an atomic rename.
   */
  private static Path realPathOfMissing(Path lexical, String requested) {
    Deque<Path> missing = new ArrayDeque<>();
    Path current = lexical;
    while (true) {
      if (current != lexical && Files.isSymbolicLink(current)) {
        throw new ToolException("Access denied - " + requested
            + " goes through a symbolic link whose target does not exist");
      }
      missing.push(current.getFileName());
      Path parent = current.getParent();
      if (parent == null) {
        return lexical;
      }
      try {
        Path real = parent.toRealPath();
        for (Path name : missing) {
          real = real.resolve(name);
        }
        return real;
      } catch (NoSuchFileException e) {
        current = parent;
      } catch (IOException e) {
        throw failure(requested, e);
      }
    }
  }

  private static boolean within(Path path, List<Path> directories) {
    for (Path directory : directories) {
      if (path.startsWith(directory)) {
        return true;
      }
    }
    return false;
  }

  private static boolean climbsUp(String requested) {
    for (String part : requested.split("/")) {
      if (part.equals("..")) {
        return true;
      }
    }
    return false;
  }

  /** An I/O failure as a tool error quoting the caller's path and the system's reason, never our paths. */
  static ToolException failure(String shown, IOException e) {
    String why;
    if (e instanceof NoSuchFileException) {
      why = "no such file or directory";
    } else if (e instanceof FileAlreadyExistsException) {
      why = "already exists";
    } else if (e instanceof DirectoryNotEmptyException) {
      why = "directory is not empty";
    } else if (e instanceof NotDirectoryException) {
      why = "not a directory";
    } else if (e instanceof AccessDeniedException) {
      why = "permission denied";
    } else if (e instanceof FileSystemException fse && fse.getReason() != null) {
      why = fse.getReason();
    } else {
      why = "cannot be accessed (" + e.getClass().getSimpleName() + ")";
    }
    return new ToolException(shown + ": " + why, e);
  }

  @Override
  public String toString() {
    return "Sandbox" + roots;
  }
}
