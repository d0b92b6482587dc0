package io.agentnet.mcp.filesystem;

import io.agentnet.runtime.mcp.ToolException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The file reads and writes behind the tools, with the size limits: whole files, the first or
 * last lines of one, and atomic replacement. Paths here are already resolved by the
 * {@link Sandbox}; {@code shown} is the caller's own path, the only one errors quote.
 */
final class FileIo {

  static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};
  /** Reads never follow a link swapped in at the last component after the sandbox checked it. */
  private static final Set<OpenOption> READ = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
  private static final Set<OpenOption> CREATE_NEW = Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
  private static final int CHUNK = 8192;

  private FileIo() {
  }

  /** Some bytes of a file: {@code data[0..length)}. */
  record Bytes(byte[] data, int length) {
    String utf8() {
      return new String(data, 0, length, StandardCharsets.UTF_8);
    }
  }

  /** The whole file, refused when it is larger than {@code limit} bytes. */
  static Bytes readAll(Path file, String shown, long limit, String hint) {
    try (SeekableByteChannel channel = Files.newByteChannel(file, READ)) {
      long size = channel.size();
      if (size > limit) {
        throw tooLarge(shown, size, limit, hint);
      }
      // one byte of room shows whether the file grew after size() (then read on, up to the limit)
      byte[] data = new byte[(int) size + 1];
      int length = 0;
      while (true) {
        if (length == data.length) {
          if (length > limit) {
            throw tooLarge(shown, length, limit, hint);
          }
          data = Arrays.copyOf(data, (int) Math.min(limit + 1, (long) data.length * 2));
        }
        int n = channel.read(ByteBuffer.wrap(data, length, data.length - length));
        if (n < 0) {
          break;
        }
        length += n;
      }
      if (length > limit) {
        throw tooLarge(shown, length, limit, hint);
      }
      return new Bytes(data, length);
    } catch (IOException e) {
      throw readFailure(file, shown, e);
    }
  }

  /**
   * The first {@code count} lines, joined by '\n' without a final newline (CRLF read as LF);
   * reads only as far as needed, and refuses to read more than {@code limit} bytes.
   */
  static String head(Path file, String shown, int count, long limit) {
    try (SeekableByteChannel channel = Files.newByteChannel(file, READ)) {
      byte[] data = new byte[(int) Math.min(CHUNK, limit + 1)];
      int length = 0;
      int newlines = 0;
      while (true) {
        if (length == data.length) {
          if (length > limit) {
            throw new ToolException(shown + ": the first " + count + " lines are longer than the read limit of "
                + describe(limit) + "; ask for fewer lines");
          }
          data = Arrays.copyOf(data, (int) Math.min(limit + 1, (long) data.length * 2));
        }
        int n = channel.read(ByteBuffer.wrap(data, length, data.length - length));
        if (n < 0) {
          break;
        }
        for (int i = length; i < length + n; i++) {
          if (data[i] == '\n' && ++newlines == count) {
            return lf(new String(data, 0, withoutCr(data, i), StandardCharsets.UTF_8));
          }
        }
        length += n;
      }
      if (length > limit) {
        throw new ToolException(shown + ": the first " + count + " lines are longer than the read limit of "
            + describe(limit) + "; ask for fewer lines");
      }
      // fewer lines than asked: the whole file, without its final newline
      int end = length > 0 && data[length - 1] == '\n' ? withoutCr(data, length - 1) : length;
      return lf(new String(data, 0, end, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw readFailure(file, shown, e);
    }
  }

  /**
   * The last {@code count} lines, joined by '\n' without a final newline (a file's final newline
   * does not make an empty last line); reads backwards from the end only as far as needed.
   */
  static String tail(Path file, String shown, int count, long limit) {
    try (FileChannel channel = FileChannel.open(file, READ)) {
      long size = channel.size();
      if (size == 0) {
        return "";
      }
      long end = size;
      if (byteAt(channel, size - 1) == '\n') {
        end--;
        if (end > 0 && byteAt(channel, end - 1) == '\r') {
          end--;
        }
      }
      // scan backwards for the count-th newline before end
      long start = 0;
      int newlines = 0;
      ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
      long position = end;
      scan:
      while (position > 0) {
        int chunk = (int) Math.min(CHUNK, position);
        position -= chunk;
        buffer.clear().limit(chunk);
        readFully(channel, buffer, position);
        for (int i = chunk - 1; i >= 0; i--) {
          if (buffer.get(i) == '\n' && ++newlines == count) {
            start = position + i + 1;
            break scan;
          }
        }
        if (end - position > limit) {
          throw new ToolException(shown + ": the last " + count + " lines are longer than the read limit of "
              + describe(limit) + "; ask for fewer lines");
        }
      }
      long length = end - start;
      if (length > limit) {
        throw new ToolException(shown + ": the last " + count + " lines are longer than the read limit of "
            + describe(limit) + "; ask for fewer lines");
      }
      ByteBuffer text = ByteBuffer.allocate((int) length);
      readFully(channel, text, start);
      return lf(new String(text.array(), 0, (int) length, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw readFailure(file, shown, e);
    }
  }

  /** The end of a line that ends at the newline at {@code newline}, without a CR before it. */
  private static int withoutCr(byte[] data, int newline) {
    return newline > 0 && data[newline - 1] == '\r' ? newline - 1 : newline;
  }

  private static byte byteAt(FileChannel channel, long position) throws IOException {
    ByteBuffer one = ByteBuffer.allocate(1);
    readFully(channel, one, position);
    return one.get(0);
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, at);
      if (n < 0) {
        throw new IOException("file shrank while being read");
      }
      at += n;
    }
  }

  private static String lf(String text) {
    return TextEdits.normalizeLineEndings(text);
  }

  /**
   * Replaces (or creates) a file atomically: the data goes to a new, exclusively created file in
   * the same directory, which is then renamed over the target. A reader sees the old or the new
   * content, never a mix; a symbolic link at the target is replaced, never followed. An existing
   * file's permissions are kept.
   */
  static void writeAtomically(Path target, String shown, byte[] data) {
    Path directory = target.getParent();
    PosixFileAttributes existing = existingAttributes(target, shown);
    if (existing != null && existing.isDirectory()) {
      throw new ToolException(shown + " is a directory; give a file path");
    }
    Path temporary = null;
    try {
      temporary = createTemporary(directory, target.getFileName().toString(), data);
      if (existing != null && existing.isRegularFile()) {
        Files.setPosixFilePermissions(temporary, existing.permissions());
      }
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
      temporary = null;
    } catch (NoSuchFileException e) {
      throw new ToolException(shown + ": the parent directory does not exist; create it first with create_directory");
    } catch (IOException e) {
      throw Sandbox.failure(shown, e);
    } finally {
      if (temporary != null) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException ignored) {
          // the write has failed already; that failure is what the caller needs to hear
        }
      }
    }
  }

  private static PosixFileAttributes existingAttributes(Path target, String shown) {
    try {
      return Files.readAttributes(target, PosixFileAttributes.class, NO_FOLLOW);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw Sandbox.failure(shown, e);
    }
  }

  private static Path createTemporary(Path directory, String name, byte[] data) throws IOException {
    while (true) {
      Path candidate = directory.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
          + ".tmp");
      SeekableByteChannel channel;
      try {
        channel = Files.newByteChannel(candidate, CREATE_NEW);
      } catch (FileAlreadyExistsException e) {
        continue;
      }
      try (channel) {
        ByteBuffer buffer = ByteBuffer.wrap(data);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
      } catch (IOException e) {
        Files.deleteIfExists(candidate);
        throw e;
      }
      return candidate;
    }
  }

  private static ToolException readFailure(Path file, String shown, IOException e) {
    if (Files.isDirectory(file, NO_FOLLOW)) {
      return new ToolException(shown + " is a directory; use list_directory to see what is in it");
    }
    if (Files.isSymbolicLink(file)) {
      return new ToolException(shown + " was replaced by a symbolic link while it was being read");
    }
    return Sandbox.failure(shown, e);
  }

  static ToolException tooLarge(String shown, long size, long limit, String hint) {
    return new ToolException(shown + " is " + describe(size) + ", larger than the read limit of "
        + describe(limit) + (hint == null ? "" : "; " + hint));
  }

  /** A byte count for people: exact bytes, with the binary unit when it is large. */
  static String describe(long bytes) {
    return bytes < 1024 ? bytes + " bytes" : bytes + " bytes (" + formatSize(bytes) + ")";
  }

  /** Sizes as the reference server prints them: "0 B", "512 B", "1.50 KB", "10.00 MB". */
  static String formatSize(long bytes) {
    String[] units = {"B", "KB", "MB", "GB", "TB"};
    if (bytes <= 0) {
      return bytes + " B";
    }
    int unit = (int) Math.floor(Math.log(bytes) / Math.log(1024));
    if (unit <= 0) {
      return bytes + " B";
    }
    unit = Math.min(unit, units.length - 1);
    return String.format(Locale.ROOT, "%.2f %s", bytes / Math.pow(1024, unit), units[unit]);
  }
}
