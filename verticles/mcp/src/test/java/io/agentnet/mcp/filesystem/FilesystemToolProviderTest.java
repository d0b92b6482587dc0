package io.agentnet.mcp.filesystem;

import io.agentnet.runtime.mcp.Tool;
import io.agentnet.runtime.mcp.ToolCall;
import io.agentnet.runtime.mcp.ToolException;
import io.agentnet.runtime.mcp.ToolResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FilesystemToolProviderTest {

  @TempDir
  Path temp;

  Path root;
  Path outside;
  FilesystemToolProvider provider;

  @BeforeEach
  void setUp() throws Exception {
    temp = temp.toRealPath();
    root = Files.createDirectory(temp.resolve("workspace"));
    outside = Files.createDirectory(temp.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), "top secret");
    provider = new FilesystemToolProvider(FilesystemOptions.builder().root(root).build());
  }

  /**
   * Calls a tool as the protocol layer would: the arguments must satisfy its input schema, and a
   * structured result must satisfy its output schema.
   */
  private ToolResult call(FilesystemToolProvider p, String tool, JsonObject arguments) throws Exception {
    Tool t = p.tools().stream().filter(x -> x.name().equals(tool)).findFirst()
        .orElseThrow(() -> new AssertionError("no tool " + tool));
    assertValid(t.inputSchema(), arguments, tool + " arguments");
    ToolResult result = t.blockingHandler().call(ToolCall.of(tool, arguments));
    if (result.structured() != null) {
      assertThat(t.outputSchema()).as(tool + " returns structure, so it must declare an output schema").isNotNull();
      assertValid(t.outputSchema(), result.structured(), tool + " structuredContent");
    }
    return result;
  }

  private static void assertValid(JsonObject schema, JsonObject value, String what) {
    OutputUnit unit = Validator.create(JsonSchema.of(schema),
        new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://agentnet.test/"))
        .validate(value);
    assertThat(unit.getValid()).as(what + " against its schema: " + unit.getErrors()).isTrue();
  }

  private ToolResult call(String tool, JsonObject arguments) throws Exception {
    return call(provider, tool, arguments);
  }

  private static JsonObject args(Object... keyValues) {
    JsonObject json = new JsonObject();
    for (int i = 0; i < keyValues.length; i += 2) {
      json.put((String) keyValues[i], keyValues[i + 1]);
    }
    return json;
  }

  private static JsonObject edit(String oldText, String newText) {
    return new JsonObject().put("oldText", oldText).put("newText", newText);
  }

  @Test
  void offersTheReferenceServersToolsWithValidSchemas() {
    assertThat(provider.serverName()).isEqualTo("filesystem");
    assertThat(provider.tools()).extracting(Tool::name).containsExactlyInAnyOrder(
        "read_text_file", "read_media_file", "read_multiple_files", "write_file", "edit_file", "create_directory",
        "list_directory", "list_directory_with_sizes", "directory_tree", "move_file", "search_files",
        "get_file_info", "list_allowed_directories");
    for (Tool tool : provider.tools()) {
      assertThat(tool.inputSchema().getString("type")).isEqualTo("object");
      assertThat(tool.annotations().openWorldHint()).isFalse();
      assertThat(tool.blockingHandler()).as(tool.name()).isNotNull();
    }
    assertThat(provider.instructions()).contains(root.toString());
  }

  @Test
  void unknownAndMistypedArgumentsAreRejectedByTheSchemas() {
    Tool read = provider.tools().stream().filter(t -> t.name().equals("read_text_file")).findFirst().orElseThrow();
    assertThatThrownBy(() -> assertValid(read.inputSchema(), args("path", "a", "lines", 3), "extra"))
        .isInstanceOf(AssertionError.class);
    assertThatThrownBy(() -> assertValid(read.inputSchema(), args("path", "a", "head", -1), "negative"))
        .isInstanceOf(AssertionError.class);
    Tool many = provider.tools().stream().filter(t -> t.name().equals("read_multiple_files")).findFirst()
        .orElseThrow();
    assertThatThrownBy(() -> assertValid(many.inputSchema(), args("paths", new JsonArray()), "empty"))
        .isInstanceOf(AssertionError.class);
  }

  // ---- reading

  @Test
  void readsTextWholeOrByHeadAndTail() throws Exception {
    String lines = IntStream.rangeClosed(1, 10).mapToObj(i -> "line" + i).collect(Collectors.joining("\n")) + "\n";
    Files.writeString(root.resolve("ten.txt"), lines);

    ToolResult whole = call("read_text_file", args("path", "ten.txt"));
    assertThat(whole.firstText()).isEqualTo(lines);
    assertThat(whole.structured().getString("content")).isEqualTo(lines);

    assertThat(call("read_text_file", args("path", "ten.txt", "head", 3)).firstText())
        .isEqualTo("line1\nline2\nline3");
    assertThat(call("read_text_file", args("path", "ten.txt", "tail", 2)).firstText())
        .isEqualTo("line9\nline10");
    assertThat(call("read_text_file", args("path", "ten.txt", "head", 50)).firstText())
        .isEqualTo(lines.strip());
    assertThat(call("read_text_file", args("path", "ten.txt", "tail", 50)).firstText())
        .isEqualTo(lines.strip());
    assertThatThrownBy(() -> call("read_text_file", args("path", "ten.txt", "head", 1, "tail", 1)))
        .isInstanceOf(ToolException.class).hasMessageContaining("both head and tail");
  }

  @Test
  void tailAndHeadWorkAcrossChunksAndWithCrlfAndWithoutFinalNewline() throws Exception {
    String big = IntStream.range(0, 5000).mapToObj(i -> "row " + i).collect(Collectors.joining("\r\n"));
    Files.writeString(root.resolve("crlf.txt"), "a\r\nb\r\nc\r\n");
    assertThat(call("read_text_file", args("path", "crlf.txt", "tail", 2)).firstText()).isEqualTo("b\nc");
    assertThat(call("read_text_file", args("path", "crlf.txt", "head", 5)).firstText()).isEqualTo("a\nb\nc");
    Files.writeString(root.resolve("big.txt"), big);
    assertThat(call("read_text_file", args("path", "big.txt", "tail", 3)).firstText())
        .isEqualTo("row 4997\nrow 4998\nrow 4999");
    assertThat(call("read_text_file", args("path", "big.txt", "head", 2)).firstText())
        .isEqualTo("row 0\nrow 1");
    Files.writeString(root.resolve("empty.txt"), "");
    assertThat(call("read_text_file", args("path", "empty.txt", "tail", 3)).firstText()).isEmpty();
    assertThat(call("read_text_file", args("path", "empty.txt", "head", 3)).firstText()).isEmpty();
  }

  @Test
  void readingOutsideTheSandboxOrThroughALinkLeadingOutIsRefused() throws Exception {
    Files.createSymbolicLink(root.resolve("escape.txt"), outside.resolve("secret.txt"));
    for (String path : List.of("../outside/secret.txt", outside + "/secret.txt", "escape.txt")) {
      assertThatThrownBy(() -> call("read_text_file", args("path", path)))
          .as(path)
          .isInstanceOf(ToolException.class)
          .hasMessageContaining("Access denied")
          .hasMessageNotContaining("top secret");
    }
  }

  @Test
  void readingADirectoryOrAMissingFileIsAClearError() throws Exception {
    Files.createDirectory(root.resolve("dir"));
    assertThatThrownBy(() -> call("read_text_file", args("path", "dir")))
        .hasMessage("dir is a directory; use list_directory to see what is in it");
    assertThatThrownBy(() -> call("read_text_file", args("path", "nope.txt")))
        .hasMessage("nope.txt: no such file or directory");
  }

  @Test
  void readMultipleFilesReportsEachFailureInlineAndReadsTheRest() throws Exception {
    Files.writeString(root.resolve("a.txt"), "alpha");
    Files.writeString(root.resolve("b.txt"), "beta");
    ToolResult result = call("read_multiple_files",
        args("paths", new JsonArray().add("a.txt").add("missing.txt").add("../outside/secret.txt").add("b.txt")));
    assertThat(result.isError()).isFalse();
    assertThat(result.firstText())
        .startsWith("a.txt:\nalpha\n\n---\nmissing.txt: Error - missing.txt: no such file or directory\n---\n")
        .contains("../outside/secret.txt: Error - Access denied")
        .endsWith("---\nb.txt:\nbeta\n")
        .doesNotContain("top secret");
    JsonArray files = result.structured().getJsonArray("files");
    assertThat(files).hasSize(4);
    assertThat(files.getJsonObject(0).getString("content")).isEqualTo("alpha");
    assertThat(files.getJsonObject(1).getString("error")).contains("no such file");
    assertThat(files.getJsonObject(3).getString("content")).isEqualTo("beta");
  }

  @Test
  void readMediaFileReturnsImagesAsImageContentAndOtherFilesAsBlobs() throws Exception {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2};
    Files.write(root.resolve("pic.PNG"), png);
    Files.write(root.resolve("data.bin"), new byte[] {1, 2, 3});
    JsonObject image = call("read_media_file", args("path", "pic.PNG")).content().getJsonObject(0);
    assertThat(image.getString("type")).isEqualTo("image");
    assertThat(image.getString("mimeType")).isEqualTo("image/png");
    assertThat(Base64.getDecoder().decode(image.getString("data"))).isEqualTo(png);

    JsonObject blob = call("read_media_file", args("path", "data.bin")).content().getJsonObject(0);
    assertThat(blob.getString("type")).isEqualTo("resource");
    assertThat(blob.getJsonObject("resource").getString("mimeType")).isEqualTo("application/octet-stream");
    assertThat(blob.getJsonObject("resource").getString("uri")).startsWith("file:").endsWith("data.bin");
    assertThat(FilesystemToolProvider.mediaType("song.mp3")).isEqualTo("audio/mpeg");
  }

  // ---- writing

  @Test
  void writeFileCreatesAndReplacesAtomicallyKeepingPermissions() throws Exception {
    ToolResult created = call("write_file", args("path", "new.txt", "content", "hello"));
    assertThat(created.firstText()).isEqualTo("Successfully wrote to new.txt");
    assertThat(Files.readString(root.resolve("new.txt"))).isEqualTo("hello");

    Files.setPosixFilePermissions(root.resolve("new.txt"), PosixFilePermissions.fromString("rw-------"));
    call("write_file", args("path", "new.txt", "content", "bye"));
    assertThat(Files.readString(root.resolve("new.txt"))).isEqualTo("bye");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("new.txt"))))
        .isEqualTo("rw-------");
    try (var listing = Files.list(root)) {
      assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("new.txt");
    }
  }

  @Test
  void writeFileIntoAMissingDirectoryOrOntoADirectoryFailsClearly() throws Exception {
    assertThatThrownBy(() -> call("write_file", args("path", "no/such/dir/x.txt", "content", "x")))
        .hasMessageContaining("parent directory does not exist");
    Files.createDirectory(root.resolve("dir"));
    assertThatThrownBy(() -> call("write_file", args("path", "dir", "content", "x")))
        .hasMessageContaining("dir is a directory");
  }

  @Test
  void writesThroughLinksLeadingOutAreRefusedAndNothingOutsideChanges() throws Exception {
    Files.createSymbolicLink(root.resolve("linkdir"), outside);
    Files.createSymbolicLink(root.resolve("linkfile"), outside.resolve("secret.txt"));
    for (String path : List.of("linkdir/secret.txt", "linkdir/new.txt", "linkfile", "../outside/new.txt")) {
      assertThatThrownBy(() -> call("write_file", args("path", path, "content", "pwned")))
          .as(path).hasMessageContaining("Access denied");
    }
    assertThatThrownBy(() -> call("edit_file", args("path", "linkfile",
        "edits", new JsonArray().add(edit("top", "pwned")))))
        .hasMessageContaining("Access denied");
    assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("top secret");
    try (var listing = Files.list(outside)) {
      assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("secret.txt");
    }
  }

  @Test
  void aDanglingLinkAtTheWriteTargetIsReplacedNotFollowed() throws Exception {
    Path target = outside.resolve("created-by-link.txt");
    Files.createSymbolicLink(root.resolve("dangling.txt"), target);
    call("write_file", args("path", "dangling.txt", "content", "inside"));
    assertThat(Files.exists(target)).isFalse();
    assertThat(Files.isSymbolicLink(root.resolve("dangling.txt"))).isFalse();
    assertThat(Files.readString(root.resolve("dangling.txt"))).isEqualTo("inside");
  }

  @Test
  void createDirectoryMakesNestedDirectoriesInsideOnly() throws Exception {
    assertThat(call("create_directory", args("path", "a/b/c")).firstText())
        .isEqualTo("Successfully created directory a/b/c");
    assertThat(Files.isDirectory(root.resolve("a/b/c"))).isTrue();
    call("create_directory", args("path", "a/b/c"));
    Files.createSymbolicLink(root.resolve("out"), outside);
    assertThatThrownBy(() -> call("create_directory", args("path", "out/x/y"))).hasMessageContaining("Access denied");
    assertThatThrownBy(() -> call("create_directory", args("path", outside + "/x")))
        .hasMessageContaining("Access denied");
    assertThat(Files.exists(outside.resolve("x"))).isFalse();
    Files.writeString(root.resolve("file"), "");
    assertThatThrownBy(() -> call("create_directory", args("path", "file")))
        .hasMessageContaining("not a directory");
  }

  @Test
  void moveFileRenamesButNeverOverwritesNorMovesARootOrLeavesTheSandbox() throws Exception {
    Files.writeString(root.resolve("a.txt"), "a");
    Files.writeString(root.resolve("b.txt"), "b");
    assertThatThrownBy(() -> call("move_file", args("source", "a.txt", "destination", "b.txt")))
        .hasMessageContaining("already exists");
    assertThat(Files.readString(root.resolve("b.txt"))).isEqualTo("b");

    Files.createDirectory(root.resolve("sub"));
    assertThat(call("move_file", args("source", "a.txt", "destination", "sub/c.txt")).firstText())
        .isEqualTo("Successfully moved a.txt to sub/c.txt");
    assertThat(Files.readString(root.resolve("sub/c.txt"))).isEqualTo("a");
    assertThat(Files.exists(root.resolve("a.txt"))).isFalse();

    assertThatThrownBy(() -> call("move_file", args("source", "b.txt", "destination", "../outside/b.txt")))
        .hasMessageContaining("Access denied");
    assertThatThrownBy(() -> call("move_file", args("source", root.toString(), "destination", "x")))
        .hasMessageContaining("cannot be moved");
    assertThatThrownBy(() -> call("move_file", args("source", "sub", "destination", "sub/inner")))
        .hasMessageContaining("into itself");
    assertThatThrownBy(() -> call("move_file", args("source", "ghost", "destination", "x")))
        .hasMessageContaining("ghost: no such file");
  }

  // ---- editing

  @Test
  void editFileAppliesEditsAndReturnsTheDiff() throws Exception {
    Path file = root.resolve("code.py");
    Files.writeString(file, "def f():\n    return 1\n\ndef g():\n    return 2\n");
    ToolResult result = call("edit_file", args("path", "code.py", "edits", new JsonArray()
        .add(edit("return 1", "return 10"))
        .add(edit("def g():\n  return 2", "def g():\n  x = 2\n  return x"))));
    assertThat(Files.readString(file)).isEqualTo("def f():\n    return 10\n\ndef g():\n    x = 2\n    return x\n");
    assertThat(result.firstText()).startsWith("```diff\nIndex: code.py\n").endsWith("```\n\n")
        .contains("-    return 1\n+    return 10\n").contains("+    x = 2\n");
    assertThat(result.structured().getBoolean("dry_run")).isFalse();
    assertThat(result.structured().getString("diff")).contains("@@");
  }

  @Test
  void dryRunReturnsTheDiffAndLeavesTheFileUnchanged() throws Exception {
    Path file = root.resolve("notes.txt");
    Files.writeString(file, "one\ntwo\n");
    ToolResult result = call("edit_file", args("path", "notes.txt", "dryRun", true,
        "edits", new JsonArray().add(edit("two", "three"))));
    assertThat(result.firstText()).contains("-two\n+three\n");
    assertThat(result.structured().getBoolean("dry_run")).isTrue();
    assertThat(Files.readString(file)).isEqualTo("one\ntwo\n");
  }

  @Test
  void aFailedMatchChangesNothingEvenWhenEarlierEditsMatched() throws Exception {
    Path file = root.resolve("notes.txt");
    Files.writeString(file, "one\ntwo\n");
    assertThatThrownBy(() -> call("edit_file", args("path", "notes.txt",
        "edits", new JsonArray().add(edit("one", "1")).add(edit("absent text", "x")))))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("absent text");
    assertThat(Files.readString(file)).isEqualTo("one\ntwo\n");
  }

  // ---- listing and searching

  @Test
  void listDirectoryMarksFilesAndDirectories() throws Exception {
    Files.createDirectory(root.resolve("src"));
    Files.writeString(root.resolve("b.txt"), "12345");
    Files.writeString(root.resolve("a.txt"), "1");
    ToolResult result = call("list_directory", args("path", "."));
    assertThat(result.firstText()).isEqualTo("[FILE] a.txt\n[FILE] b.txt\n[DIR] src");
    assertThat(result.structured().getJsonArray("entries").getJsonObject(2))
        .isEqualTo(new JsonObject().put("name", "src").put("type", "directory"));
    assertThatThrownBy(() -> call("list_directory", args("path", "a.txt"))).hasMessageContaining("not a directory");
  }

  @Test
  void listDirectoryWithSizesSortsAndTotals() throws Exception {
    Files.createDirectory(root.resolve("src"));
    Files.writeString(root.resolve("small.txt"), "1");
    Files.write(root.resolve("large.bin"), new byte[2048]);
    ToolResult bySize = call("list_directory_with_sizes", args("path", root.toString(), "sortBy", "size"));
    assertThat(bySize.firstText().lines().toList()).containsExactly(
        "[FILE] large.bin                         2.00 KB",
        "[FILE] small.txt                             1 B",
        "[DIR] src                            ",
        "",
        "Total: 2 files, 1 directories",
        "Combined size: 2.00 KB");
    JsonObject structured = bySize.structured();
    assertThat(structured.getLong("total_size")).isEqualTo(2049);
    assertThat(structured.getLong("total_files")).isEqualTo(2);
    ToolResult byName = call("list_directory_with_sizes", args("path", "."));
    assertThat(byName.structured().getJsonArray("entries").stream()
        .map(e -> ((JsonObject) e).getString("name"))).containsExactly("large.bin", "small.txt", "src");
  }

  @Test
  void directoryTreeNestsAndExcludes() throws Exception {
    Files.createDirectories(root.resolve("src/main"));
    Files.createDirectories(root.resolve("nested/node_modules"));
    Files.createDirectories(root.resolve("node_modules"));
    Files.writeString(root.resolve("src/main/App.java"), "");
    Files.writeString(root.resolve(".env"), "");
    Files.writeString(root.resolve(".env.local"), "");
    Files.createSymbolicLink(root.resolve("out"), outside);

    ToolResult result = call("directory_tree", args("path", ".", "excludePatterns",
        new JsonArray().add("node_modules").add(".env")));
    JsonArray entries = result.structured().getJsonArray("entries");
    assertThat(entries.stream().map(e -> ((JsonObject) e).getString("name")))
        .containsExactly(".env.local", "nested", "out", "src");
    JsonObject nested = entries.getJsonObject(1);
    assertThat(nested.getJsonArray("children")).isEmpty();
    JsonObject out = entries.getJsonObject(2);
    assertThat(out.getString("type")).isEqualTo("file");
    assertThat(out.containsKey("children")).isFalse();
    JsonObject src = entries.getJsonObject(3);
    assertThat(src.getJsonArray("children").getJsonObject(0).getJsonArray("children").getJsonObject(0))
        .isEqualTo(new JsonObject().put("name", "App.java").put("type", "file"));
    // the text is the same tree as indented JSON
    assertThat(new JsonArray(result.firstText())).isEqualTo(entries);
    assertThat(result.firstText()).contains("\n  {\n    \"name\": \".env.local\",\n    \"type\": \"file\"\n  },");
  }

  @Test
  void searchFilesMatchesGlobsRelativeToThePathAndSkipsExcludes() throws Exception {
    Files.createDirectories(root.resolve("src/deep"));
    Files.createDirectories(root.resolve("node_modules/pkg"));
    Files.writeString(root.resolve("top.js"), "");
    Files.writeString(root.resolve("src/a.js"), "");
    Files.writeString(root.resolve("src/deep/b.js"), "");
    Files.writeString(root.resolve("src/deep/c.ts"), "");
    Files.writeString(root.resolve("node_modules/pkg/index.js"), "");
    Files.writeString(outside.resolve("evil.js"), "");
    Files.createSymbolicLink(root.resolve("evil.js"), outside.resolve("evil.js"));

    ToolResult all = call("search_files", args("path", ".", "pattern", "**/*.js",
        "excludePatterns", new JsonArray().add("node_modules")));
    assertThat(all.structured().getJsonArray("matches")).containsExactly(
        root.resolve("src/a.js").toString(), root.resolve("src/deep/b.js").toString(), root.resolve("top.js").toString());
    assertThat(all.firstText()).isEqualTo(all.structured().getJsonArray("matches").stream().map(String::valueOf)
        .collect(Collectors.joining("\n")));

    ToolResult topOnly = call("search_files", args("path", ".", "pattern", "*.js"));
    assertThat(topOnly.structured().getJsonArray("matches")).containsExactly(root.resolve("top.js").toString());

    ToolResult fromSrc = call("search_files", args("path", "src", "pattern", "deep/*.{js,ts}"));
    assertThat(fromSrc.structured().getJsonArray("matches")).hasSize(2);

    assertThat(call("search_files", args("path", ".", "pattern", "*.none")).firstText()).isEqualTo("No matches found");
    assertThatThrownBy(() -> call("search_files", args("path", "..", "pattern", "*")))
        .hasMessageContaining("Access denied");
  }

  @Test
  void getFileInfoAndAllowedDirectories() throws Exception {
    Path file = Files.writeString(root.resolve("f.txt"), "12345");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    ToolResult info = call("get_file_info", args("path", "f.txt"));
    assertThat(info.structured().getLong("size")).isEqualTo(5);
    assertThat(info.structured().getBoolean("is_file")).isTrue();
    assertThat(info.structured().getBoolean("is_directory")).isFalse();
    assertThat(info.structured().getString("permissions")).isEqualTo("640");
    assertThat(info.firstText()).contains("size: 5\n").contains("isFile: true").contains("permissions: 640");

    ToolResult allowed = call("list_allowed_directories", new JsonObject());
    assertThat(allowed.firstText()).isEqualTo("Allowed directories:\n" + root);
    assertThat(allowed.structured().getJsonArray("directories")).containsExactly(root.toString());
  }

  // ---- modes and limits

  @Test
  void readOnlyModeOffersNoToolThatChangesFiles() throws Exception {
    FilesystemToolProvider readOnly = new FilesystemToolProvider(
        FilesystemOptions.builder().root(root).readOnly(true).build());
    assertThat(readOnly.tools()).extracting(Tool::name)
        .doesNotContain("write_file", "edit_file", "create_directory", "move_file")
        .contains("read_text_file", "list_directory", "search_files");
    assertThat(readOnly.tools()).allMatch(t -> Boolean.TRUE.equals(t.annotations().readOnlyHint()));
    assertThat(readOnly.instructions()).contains("read-only");
    // and the handlers refuse even if reached some other way
    assertThatThrownBy(() -> readOnly.writeFile(ToolCall.of("write_file", args("path", "x", "content", "y"))))
        .hasMessageContaining("read-only");
    assertThat(Files.exists(root.resolve("x"))).isFalse();
  }

  @Test
  void readsAndWritesPastTheLimitsAreRefusedNamingSizeAndLimit() throws Exception {
    FilesystemToolProvider small = new FilesystemToolProvider(
        FilesystemOptions.builder().root(root).maxReadBytes(100).maxWriteBytes(10).build());
    Files.writeString(root.resolve("big.txt"), "x".repeat(150) + "\nlast\n");
    Files.writeString(root.resolve("ok.txt"), "fine");
    assertThatThrownBy(() -> call(small, "read_text_file", args("path", "big.txt")))
        .hasMessageContaining("156 bytes").hasMessageContaining("read limit of 100 bytes");
    assertThat(call(small, "read_text_file", args("path", "big.txt", "tail", 1)).firstText()).isEqualTo("last");
    assertThatThrownBy(() -> call(small, "read_text_file", args("path", "big.txt", "head", 1)))
        .hasMessageContaining("read limit of 100 bytes");
    assertThatThrownBy(() -> call(small, "read_media_file", args("path", "big.txt")))
        .hasMessageContaining("read limit");
    ToolResult multiple = call(small, "read_multiple_files", args("paths", new JsonArray().add("big.txt").add("ok.txt")));
    assertThat(multiple.structured().getJsonArray("files").getJsonObject(0).getString("error")).contains("read limit");
    assertThat(multiple.structured().getJsonArray("files").getJsonObject(1).getString("content")).isEqualTo("fine");

    assertThatThrownBy(() -> call(small, "write_file", args("path", "w.txt", "content", "12345678901")))
        .hasMessageContaining("11 bytes").hasMessageContaining("write limit of 10 bytes");
    assertThat(Files.exists(root.resolve("w.txt"))).isFalse();
    assertThatThrownBy(() -> call(small, "edit_file", args("path", "ok.txt",
        "edits", new JsonArray().add(edit("fine", "much longer now")))))
        .hasMessageContaining("write limit");
    assertThat(Files.readString(root.resolve("ok.txt"))).isEqualTo("fine");
  }

  @Test
  void errorsDoNotRevealPathsOutsideTheSandbox() throws Exception {
    Files.createSymbolicLink(root.resolve("escape"), outside);
    for (Map.Entry<String, JsonObject> c : Map.of(
        "read_text_file", args("path", "escape/secret.txt"),
        "list_directory", args("path", "escape"),
        "get_file_info", args("path", "escape/secret.txt"),
        "write_file", args("path", "escape/x", "content", "")).entrySet()) {
      assertThatThrownBy(() -> call(c.getKey(), c.getValue()))
          .as(c.getKey())
          .hasMessageContaining("Access denied")
          .hasMessageNotContaining(outside.toString());
    }
  }

  @Test
  void nonAsciiContentRoundTrips() throws Exception {
    String text = "grüße, 世界, emoji \uD83D\uDE00\n";
    call("write_file", args("path", "utf8.txt", "content", text));
    assertThat(Files.readString(root.resolve("utf8.txt"), StandardCharsets.UTF_8)).isEqualTo(text);
    assertThat(call("read_text_file", args("path", "utf8.txt")).firstText()).isEqualTo(text);
  }
}
