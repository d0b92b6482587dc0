package io.agentnet.mcp.filesystem;

import io.agentnet.runtime.mcp.ToolException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SandboxTest {

  @TempDir
  Path temp;

  Path root;
  Path outside;
  Sandbox sandbox;

  @BeforeEach
  void setUp() throws Exception {
    temp = temp.toRealPath();
    root = Files.createDirectory(temp.resolve("workspace"));
    outside = Files.createDirectory(temp.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), "secret");
    Files.writeString(root.resolve("file.txt"), "inside");
    sandbox = new Sandbox(List.of(root));
  }

  @Test
  void resolvesTheRootItselfFilesInsideAndRelativePaths() {
    assertThat(sandbox.resolve(root.toString())).isEqualTo(root);
    assertThat(sandbox.resolve(root + "/file.txt")).isEqualTo(root.resolve("file.txt"));
    assertThat(sandbox.resolve("file.txt")).isEqualTo(root.resolve("file.txt"));
    assertThat(sandbox.resolve("./sub/../file.txt")).isEqualTo(root.resolve("file.txt"));
    assertThat(sandbox.resolve(root + "/")).isEqualTo(root);
  }

  @Test
  void refusesTraversalOutOfTheRoot() {
    assertThatThrownBy(() -> sandbox.resolve("../outside/secret.txt"))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("Access denied")
        .hasMessageContaining("../outside/secret.txt")
        .hasMessageContaining("..");
    assertThatThrownBy(() -> sandbox.resolve(root + "/../outside/secret.txt"))
        .hasMessageContaining("Access denied");
    assertThatThrownBy(() -> sandbox.resolve("sub/../../outside"))
        .hasMessageContaining("Access denied");
    assertThatThrownBy(() -> sandbox.resolve("/etc/passwd"))
        .hasMessageContaining("Access denied");
  }

  @Test
  void refusesSiblingDirectoriesThatShareTheRootsNameAsAPrefix() throws Exception {
    Path evil = Files.createDirectory(temp.resolve("workspace_evil"));
    Files.writeString(evil.resolve("x.txt"), "x");
    assertThatThrownBy(() -> sandbox.resolve(evil + "/x.txt")).hasMessageContaining("Access denied");
    assertThatThrownBy(() -> sandbox.resolve(temp + "/workspace2/new.txt")).hasMessageContaining("Access denied");
  }

  @Test
  void refusesNullBytesAndEmptyPaths() {
    assertThatThrownBy(() -> sandbox.resolve("file.txt\0.png"))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("null byte");
    assertThatThrownBy(() -> sandbox.resolve("")).hasMessageContaining("empty");
  }

  @Test
  void refusesASymlinkLeadingOutForReading() throws Exception {
    Files.createSymbolicLink(root.resolve("link.txt"), outside.resolve("secret.txt"));
    Files.createSymbolicLink(root.resolve("linkdir"), outside);
    assertThatThrownBy(() -> sandbox.resolve("link.txt"))
        .hasMessageContaining("Access denied")
        .hasMessageContaining("symbolic link")
        .hasMessageNotContaining(outside.toString());
    assertThatThrownBy(() -> sandbox.resolve("linkdir/secret.txt"))
        .hasMessageContaining("Access denied");
  }

  @Test
  void refusesNewFilesUnderASymlinkedParentLeadingOut() throws Exception {
    Files.createSymbolicLink(root.resolve("linkdir"), outside);
    assertThatThrownBy(() -> sandbox.resolve("linkdir/new.txt"))
        .hasMessageContaining("Access denied")
        .hasMessageNotContaining(outside.toString());
    assertThatThrownBy(() -> sandbox.resolve("linkdir/a/b/new.txt"))
        .hasMessageContaining("Access denied");
  }

  @Test
  void refusesMissingPathsThroughADanglingSymlink() throws Exception {
    Files.createSymbolicLink(root.resolve("dangling"), outside.resolve("not-yet"));
    assertThatThrownBy(() -> sandbox.resolve("dangling/new.txt"))
        .hasMessageContaining("symbolic link whose target does not exist");
  }

  @Test
  void followsSymlinksThatStayInside() throws Exception {
    Files.createDirectory(root.resolve("real"));
    Files.writeString(root.resolve("real/a.txt"), "a");
    Files.createSymbolicLink(root.resolve("alias"), root.resolve("real"));
    assertThat(sandbox.resolve("alias/a.txt")).isEqualTo(root.resolve("real/a.txt"));
    assertThat(sandbox.resolve("alias/new.txt")).isEqualTo(root.resolve("real/new.txt"));
  }

  @Test
  void pathsThatDoNotExistYetAreJudgedByTheirNearestExistingParent() {
    assertThat(sandbox.resolve("new.txt")).isEqualTo(root.resolve("new.txt"));
    assertThat(sandbox.resolve("a/b/c/new.txt")).isEqualTo(root.resolve("a/b/c/new.txt"));
    assertThatThrownBy(() -> sandbox.resolve(outside + "/new.txt")).hasMessageContaining("Access denied");
    assertThatThrownBy(() -> sandbox.resolve(outside + "/a/b/new.txt")).hasMessageContaining("Access denied");
  }

  @Test
  void aRootGivenThroughASymlinkIsResolvedAndAcceptedUnderBothNames() throws Exception {
    Path alias = Files.createSymbolicLink(temp.resolve("alias"), root);
    Sandbox viaAlias = new Sandbox(List.of(alias));
    assertThat(viaAlias.roots()).containsExactly(root);
    assertThat(viaAlias.resolve(alias + "/file.txt")).isEqualTo(root.resolve("file.txt"));
    assertThat(viaAlias.resolve(root + "/file.txt")).isEqualTo(root.resolve("file.txt"));
  }

  @Test
  void severalRootsAndMissingRootsAreCreated() throws Exception {
    Path second = temp.resolve("second/nested");
    Sandbox two = new Sandbox(List.of(root, second));
    assertThat(Files.isDirectory(second)).isTrue();
    assertThat(two.roots()).containsExactly(root, second);
    assertThat(two.resolve(second + "/x")).isEqualTo(second.resolve("x"));
    assertThat(two.isRoot(second)).isTrue();
    assertThatThrownBy(() -> two.resolve(temp + "/second/y")).hasMessageContaining("Access denied");
  }

  @Test
  void aRootThatIsAFileIsRefusedAtStart() throws Exception {
    Path file = Files.writeString(temp.resolve("plain"), "x");
    assertThatThrownBy(() -> new Sandbox(List.of(file)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a directory");
    assertThatThrownBy(() -> new Sandbox(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aFileUsedAsADirectoryIsAClearError() {
    assertThatThrownBy(() -> sandbox.resolve("file.txt/child"))
        .isInstanceOf(ToolException.class)
        .hasMessageStartingWith("file.txt/child: ");
  }
}
