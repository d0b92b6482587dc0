package io.agentnet.bridge.testkit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.List;

/** File helpers of the test kit (deleteQuietly is also used by the benchmarks). */
public final class FileTrees {

    /** At most this many bytes are read from the end of a file by {@link #tail}. */
    private static final int MAX_TAIL_BYTES = 256 * 1024;

    private FileTrees() {
    }

    /** Deletes a directory tree, ignoring files that vanish meanwhile; never throws. */
    public static void deleteQuietly(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // best effort: a test's temp dir that cannot be deleted must not fail the test
        }
    }

    /** The file's size, or 0 if it does not exist. */
    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * The last {@code lines} lines of a file, starting no earlier than byte {@code from}; "" if the file does
     * not exist. Reads at most the last 256 KiB.
     */
    static String tail(Path file, int lines, long from) {
        if (lines <= 0) {
            return "";
        }
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            long size = ch.size();
            long start = Math.max(Math.max(0, from), size - MAX_TAIL_BYTES);
            if (start >= size) {
                return "";
            }
            ByteBuffer buf = ByteBuffer.allocate((int) (size - start));
            ch.position(start);
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // keep reading
            }
            String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
            List<String> all = Arrays.asList(text.split("\\R", -1));
            int end = all.size();
            if (end > 0 && all.get(end - 1).isEmpty()) {
                end--; // trailing newline
            }
            return String.join("\n", all.subList(Math.max(0, end - lines), end));
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            return "<cannot read " + file + ": " + e + ">";
        }
    }
}
