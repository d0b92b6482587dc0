package io.agentnet.mcp.filesystem;

import io.agentnet.mcp.filesystem.DirectoryListings.Listed;
import io.agentnet.runtime.mcp.ToolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DirectoryListingsTest {

  @TempDir
  Path dir;

  private void settle() throws Exception {
    Files.setLastModifiedTime(dir, FileTime.from(Instant.now().minusSeconds(60)));
  }

  @Test
  void anUnchangedSettledDirectoryIsListedFromMemoryAndAnyChangeIsSeen() throws Exception {
    Files.writeString(dir.resolve("a.txt"), "a");
    Files.createDirectory(dir.resolve("sub"));
    settle();
    DirectoryListings listings = new DirectoryListings(4);

    assertThat(listings.names(dir, "d")).containsExactly(new Listed("a.txt", "file"), new Listed("sub", "directory"));
    assertThat(listings.names(dir, "d")).hasSize(2);
    assertThat(listings.reuses()).isEqualTo(1);

    // replacing an entry by one of another type changes the directory's time: read afresh
    Files.delete(dir.resolve("a.txt"));
    Files.createDirectory(dir.resolve("a.txt"));
    assertThat(listings.names(dir, "d")).containsExactly(new Listed("a.txt", "directory"),
        new Listed("sub", "directory"));
    assertThat(listings.reuses()).isEqualTo(1);
  }

  @Test
  void aRecentlyChangedDirectoryIsNotRemembered() throws Exception {
    Files.writeString(dir.resolve("a.txt"), "a");
    // changed "just now" however long this machine pauses before listing it
    Files.setLastModifiedTime(dir, FileTime.from(Instant.now().plusSeconds(60)));
    DirectoryListings listings = new DirectoryListings(4);
    listings.names(dir, "d");
    listings.names(dir, "d");
    assertThat(listings.reuses()).isZero();
  }

  @Test
  void symlinksAreListedAsThemselvesAndFilesAreNotDirectories() throws Exception {
    Files.createSymbolicLink(dir.resolve("link"), dir.resolve("nowhere"));
    Path file = Files.writeString(dir.resolve("f"), "");
    assertThat(new DirectoryListings(4).names(dir, "d")).containsExactly(new Listed("f", "file"),
        new Listed("link", "symlink"));
    assertThatThrownBy(() -> new DirectoryListings(4).names(file, "f"))
        .isInstanceOf(ToolException.class).hasMessage("f: not a directory");
  }
}
