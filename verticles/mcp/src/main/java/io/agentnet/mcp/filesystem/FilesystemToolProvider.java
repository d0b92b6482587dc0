package io.agentnet.mcp.filesystem;

import io.agentnet.mcp.filesystem.DirectoryListings.Entry;
import io.agentnet.mcp.filesystem.DirectoryListings.Listed;
import io.agentnet.runtime.mcp.Schemas;
import io.agentnet.runtime.mcp.Tool;
import io.agentnet.runtime.mcp.ToolAnnotations;
import io.agentnet.runtime.mcp.ToolCall;
import io.agentnet.runtime.mcp.ToolException;
import io.agentnet.runtime.mcp.ToolProvider;
import io.agentnet.runtime.mcp.ToolResult;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The filesystem MCP server ({@code filesystem}): the tools of the reference
 * {@code @modelcontextprotocol/server-filesystem}, with the same names, arguments and text, over
 * a {@link Sandbox} of allowed directories. Listings, trees, searches, file info and reads also
 * return structured content. In read-only mode the tools that change files are not offered.
 *
 * <p>Construct with {@code new FilesystemToolProvider(FilesystemOptions.fromConfig(section, env))}
 * or, for a command line's roots, {@code FilesystemOptions.ofRoots(List.of("/a", "/b"))}. The
 * constructor creates missing roots and resolves them, so call it at start, not on an event loop.
 */
public final class FilesystemToolProvider implements ToolProvider {

  /** Walks stop here: a tree or search over more entries is a mistake, not a request. */
  static final int MAX_TREE_ENTRIES = 100_000;
  static final int MAX_SEARCH_RESULTS = 10_000;
  /** How many directories' listings list_directory remembers (see {@link DirectoryListings}). */
  private static final int LISTINGS_REMEMBERED = 256;

  private static final Map<String, String> MEDIA_TYPES = Map.ofEntries(
      Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
      Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"), Map.entry("bmp", "image/bmp"),
      Map.entry("svg", "image/svg+xml"), Map.entry("mp3", "audio/mpeg"), Map.entry("wav", "audio/wav"),
      Map.entry("ogg", "audio/ogg"), Map.entry("flac", "audio/flac"));

  private static final PosixFilePermission[] PERMISSION_BITS = PosixFilePermission.values();

  private final FilesystemOptions options;
  private final Sandbox sandbox;
  private final List<Tool> tools;
  private final DirectoryListings listings = new DirectoryListings(LISTINGS_REMEMBERED);

  /**
   * @throws IllegalArgumentException or {@link UncheckedIOException} when a root cannot be used
   */
  public FilesystemToolProvider(FilesystemOptions options) {
    this.options = options;
    this.sandbox = new Sandbox(options.roots());
    this.tools = buildTools();
  }

  @Override
  public String serverName() {
    return "filesystem";
  }

  @Override
  public String instructions() {
    StringBuilder text = new StringBuilder("Files are reachable only under these directories: ");
    text.append(String.join(", ", sandbox.roots().stream().map(Path::toString).toList()));
    text.append(". Relative paths resolve against ").append(sandbox.roots().get(0)).append('.');
    if (options.readOnly()) {
      text.append(" This server is read-only: it offers no tools that change files.");
    }
    return text.toString();
  }

  @Override
  public List<Tool> tools() {
    return tools;
  }

  /** The sandbox the tools work in (its roots are the resolved allowed directories). */
  public Sandbox sandbox() {
    return sandbox;
  }

  private List<Tool> buildTools() {
    List<Tool> list = new ArrayList<>();
    JsonObject path = Schemas.string("Path of the file or directory; relative paths resolve against the first"
        + " allowed directory");
    ToolAnnotations reads = ToolAnnotations.readOnly(false);

    list.add(Tool.builder("read_text_file")
        .title("Read Text File")
        .description("Read the contents of a file as UTF-8 text, or only its first (head) or last (tail) N lines."
            + " Only works within allowed directories.")
        .input(Schemas.object()
            .required("path", path)
            .optional("head", Schemas.integer("If provided, returns only the first N lines of the file", 0,
                Integer.MAX_VALUE))
            .optional("tail", Schemas.integer("If provided, returns only the last N lines of the file", 0,
                Integer.MAX_VALUE))
            .build())
        .output(Schemas.object().required("content", Schemas.string("The text read")).additionalProperties(true)
            .build())
        .annotations(reads)
        .blocking(this::readTextFile)
        .build());

    list.add(Tool.builder("read_media_file")
        .title("Read Media File")
        .description("Read an image or audio file and return it base64-encoded with its MIME type; other files"
            + " come back as an embedded binary resource. Only works within allowed directories.")
        .input(Schemas.object().required("path", path).build())
        .annotations(reads)
        .blocking(this::readMediaFile)
        .build());

    list.add(Tool.builder("read_multiple_files")
        .title("Read Multiple Files")
        .description("Read several text files in one call; each file's content comes with its path, and a file that"
            + " cannot be read reports its own error without stopping the others. Only works within allowed"
            + " directories.")
        .input(Schemas.object()
            .required("paths", Schemas.stringArray("Paths of the files to read").put("minItems", 1))
            .build())
        .output(Schemas.object()
            .required("files", Schemas.array(Schemas.object()
                .required("path", Schemas.string(null))
                .optional("content", Schemas.string(null))
                .optional("error", Schemas.string(null))
                .additionalProperties(true).build(), "One entry per path, with its content or its error"))
            .additionalProperties(true).build())
        .annotations(reads)
        .blocking(this::readMultipleFiles)
        .build());

    if (!options.readOnly()) {
      list.add(Tool.builder("write_file")
          .title("Write File")
          .description("Create a new file or completely replace an existing one with the given text; the file is"
              + " replaced atomically. Only works within allowed directories.")
          .input(Schemas.object()
              .required("path", path)
              .required("content", Schemas.string("The complete new content of the file"))
              .build())
          .annotations(ToolAnnotations.mutating(true, true, false))
          .blocking(this::writeFile)
          .build());

      list.add(Tool.builder("edit_file")
          .title("Edit File")
          .description("Replace text in a file: each edit's oldText (matched exactly, else line by line ignoring"
              + " surrounding whitespace) becomes its newText, in order. Returns a git-style diff; dryRun only"
              + " previews it. Only works within allowed directories.")
          .input(Schemas.object()
              .required("path", path)
              .required("edits", Schemas.array(Schemas.object()
                  .required("oldText", Schemas.string("Text to search for - must match exactly"))
                  .required("newText", Schemas.string("Text to replace with"))
                  .build(), "Edits to apply in order"))
              .optional("dryRun", Schemas.bool("Preview changes using git-style diff format").put("default", false))
              .build())
          .output(Schemas.object()
              .required("diff", Schemas.string("Unified diff of the change"))
              .required("dry_run", Schemas.bool("True when the file was left unchanged"))
              .additionalProperties(true).build())
          .annotations(ToolAnnotations.mutating(true, false, false))
          .blocking(this::editFile)
          .build());

      list.add(Tool.builder("create_directory")
          .title("Create Directory")
          .description("Create a directory, with any missing parents; succeeds silently when it already exists."
              + " Only works within allowed directories.")
          .input(Schemas.object().required("path", path).build())
          .annotations(ToolAnnotations.mutating(false, true, false))
          .blocking(this::createDirectory)
          .build());

      list.add(Tool.builder("move_file")
          .title("Move File")
          .description("Move or rename a file or directory; fails if the destination already exists. Both paths"
              + " must be within allowed directories.")
          .input(Schemas.object()
              .required("source", Schemas.string("Path of the file or directory to move"))
              .required("destination", Schemas.string("Its new path, which must not exist yet"))
              .build())
          .annotations(ToolAnnotations.mutating(true, false, false))
          .blocking(this::moveFile)
          .build());
    }

    JsonObject entrySchema = Schemas.object()
        .required("name", Schemas.string(null))
        .required("type", Schemas.enumOf(null, "file", "directory", "symlink", "other"))
        .additionalProperties(true).build();

    list.add(Tool.builder("list_directory")
        .title("List Directory")
        .description("List the files and directories in a directory, each line marked [FILE] or [DIR]."
            + " Only works within allowed directories.")
        .input(Schemas.object().required("path", path).build())
        .output(Schemas.object()
            .required("entries", Schemas.array(entrySchema, "The entries, sorted by name"))
            .additionalProperties(true).build())
        .annotations(reads)
        .blocking(this::listDirectory)
        .build());

    list.add(Tool.builder("list_directory_with_sizes")
        .title("List Directory with Sizes")
        .description("List the files and directories in a directory with file sizes and totals, sorted by name or"
            + " by size. Only works within allowed directories.")
        .input(Schemas.object()
            .required("path", path)
            .optional("sortBy", Schemas.enumOf("Sort entries by name or size", "name", "size").put("default", "name"))
            .build())
        .output(Schemas.object()
            .required("entries", Schemas.array(Schemas.object()
                .required("name", Schemas.string(null))
                .required("type", Schemas.enumOf(null, "file", "directory", "symlink", "other"))
                .required("size", Schemas.integer("Bytes"))
                .additionalProperties(true).build(), "The entries, in the order asked"))
            .required("total_files", Schemas.integer(null))
            .required("total_directories", Schemas.integer(null))
            .required("total_size", Schemas.integer("Bytes of the files (directories not counted)"))
            .additionalProperties(true).build())
        .annotations(reads)
        .blocking(this::listDirectoryWithSizes)
        .build());

    list.add(Tool.builder("directory_tree")
        .title("Directory Tree")
        .description("Get a recursive tree of a directory as JSON: each entry has a name, a type (file or directory)"
            + " and, for directories, children. Symbolic links are not followed. Only works within allowed"
            + " directories.")
        .input(Schemas.object()
            .required("path", path)
            .optional("excludePatterns", Schemas.stringArray("Glob patterns or names of entries to leave out,"
                + " relative to path (a plain name is left out at any depth)"))
            .build())
        .output(Schemas.object()
            .required("entries", Schemas.array(new JsonObject().put("type", "object"),
                "The top-level entries, each {name, type, children?}"))
            .additionalProperties(true).build())
        .annotations(reads)
        .blocking(this::directoryTree)
        .build());

    list.add(Tool.builder("search_files")
        .title("Search Files")
        .description("Recursively find files and directories whose path relative to the starting directory"
            + " matches a glob: '*.ext' matches in that directory only, '**/*.ext' at any depth. Returns full"
            + " paths. Only searches within allowed directories.")
        .input(Schemas.object()
            .required("path", Schemas.string("Directory to search from"))
            .required("pattern", Schemas.string("Glob pattern matched against paths relative to path"))
            .optional("excludePatterns", Schemas.stringArray("Glob patterns or names of entries to skip, with"
                + " everything under them"))
            .build())
        .output(Schemas.object()
            .required("matches", Schemas.stringArray("Full paths of the matching entries"))
            .required("truncated", Schemas.bool("True when the search stopped at " + MAX_SEARCH_RESULTS
                + " matches"))
            .additionalProperties(true).build())
        .annotations(reads)
        .blocking(this::searchFiles)
        .build());

    list.add(Tool.builder("get_file_info")
        .title("Get File Info")
        .description("Get a file's or directory's metadata: size, creation, modification and access times, type"
            + " and permissions, without reading it. Only works within allowed directories.")
        .input(Schemas.object().required("path", path).build())
        .output(Schemas.object()
            .required("size", Schemas.integer("Bytes"))
            .required("created", Schemas.string("ISO-8601 time"))
            .required("modified", Schemas.string("ISO-8601 time"))
            .required("accessed", Schemas.string("ISO-8601 time"))
            .required("is_directory", Schemas.bool(null))
            .required("is_file", Schemas.bool(null))
            .optional("permissions", Schemas.string("Octal permission bits, such as 644"))
            .additionalProperties(true).build())
        .annotations(reads)
        .blocking(this::getFileInfo)
        .build());

    list.add(Tool.builder("list_allowed_directories")
        .title("List Allowed Directories")
        .description("List the directories this server may access; everything below them is accessible too.")
        .input(Schemas.object().build())
        .output(Schemas.object()
            .required("directories", Schemas.stringArray("The allowed directories, as real paths"))
            .additionalProperties(true).build())
        .annotations(reads)
        .blocking(call -> listAllowedDirectories())
        .build());
    return List.copyOf(list);
  }

  // ---- reading

  ToolResult readTextFile(ToolCall call) {
    String shown = call.string("path");
    // 0 counts as not given, as in the reference server
    int head = call.integer("head", 0);
    int tail = call.integer("tail", 0);
    if (head > 0 && tail > 0) {
      throw new ToolException("Cannot specify both head and tail; give one of them");
    }
    Path file = sandbox.resolve(shown);
    String content;
    if (head > 0) {
      content = FileIo.head(file, shown, head, options.maxReadBytes());
    } else if (tail > 0) {
      content = FileIo.tail(file, shown, tail, options.maxReadBytes());
    } else {
      content = FileIo.readAll(file, shown, options.maxReadBytes(), "use head or tail to read part of it").utf8();
    }
    return ToolResult.structured(new JsonObject().put("content", content), content);
  }

  ToolResult readMediaFile(ToolCall call) {
    String shown = call.string("path");
    Path file = sandbox.resolve(shown);
    FileIo.Bytes bytes = FileIo.readAll(file, shown, options.maxReadBytes(), null);
    ByteBuffer encoded = Base64.getEncoder().encode(ByteBuffer.wrap(bytes.data(), 0, bytes.length()));
    String data = StandardCharsets.ISO_8859_1.decode(encoded).toString();
    String mimeType = mediaType(file.getFileName().toString());
    JsonObject block;
    if (mimeType.startsWith("image/")) {
      block = ToolResult.imageContent(data, mimeType);
    } else if (mimeType.startsWith("audio/")) {
      block = ToolResult.audioContent(data, mimeType);
    } else {
      block = ToolResult.blobContent(file.toUri().toString(), data, mimeType);
    }
    return ToolResult.content(new JsonArray().add(block));
  }

  static String mediaType(String fileName) {
    int dot = fileName.lastIndexOf('.');
    String extension = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    return MEDIA_TYPES.getOrDefault(extension, "application/octet-stream");
  }

  ToolResult readMultipleFiles(ToolCall call) {
    List<String> paths = call.strings("paths");
    long budget = options.maxReadBytes();
    JsonArray files = new JsonArray();
    List<String> parts = new ArrayList<>(paths.size());
    for (String shown : paths) {
      try {
        Path file = sandbox.resolve(shown);
        FileIo.Bytes bytes = FileIo.readAll(file, shown, budget,
            "the read limit is shared by all files of one call; read fewer files at once");
        budget -= bytes.length();
        String content = bytes.utf8();
        files.add(new JsonObject().put("path", shown).put("content", content));
        parts.add(shown + ":\n" + content + "\n");
      } catch (ToolException e) {
        files.add(new JsonObject().put("path", shown).put("error", e.getMessage()));
        parts.add(shown + ": Error - " + e.getMessage());
      }
    }
    return ToolResult.structured(new JsonObject().put("files", files), String.join("\n---\n", parts));
  }

  // ---- changing

  private void requireWritable() {
    if (options.readOnly()) {
      throw new ToolException("This filesystem server is read-only; it cannot change files");
    }
  }

  ToolResult writeFile(ToolCall call) {
    requireWritable();
    String shown = call.string("path");
    byte[] data = call.string("content").getBytes(StandardCharsets.UTF_8);
    checkWriteSize(shown, data.length);
    Path target = sandbox.resolve(shown);
    FileIo.writeAtomically(target, shown, data);
    return ToolResult.text("Successfully wrote to " + shown);
  }

  private void checkWriteSize(String shown, long size) {
    if (size > options.maxWriteBytes()) {
      throw new ToolException("the content for " + shown + " is " + FileIo.describe(size)
          + ", larger than the write limit of " + FileIo.describe(options.maxWriteBytes()));
    }
  }

  ToolResult editFile(ToolCall call) {
    requireWritable();
    String shown = call.string("path");
    boolean dryRun = call.bool("dryRun", false);
    List<TextEdits.Edit> edits = new ArrayList<>();
    for (Object item : call.array("edits")) {
      JsonObject edit = (JsonObject) item;
      edits.add(new TextEdits.Edit(edit.getString("oldText"), edit.getString("newText")));
    }
    Path file = sandbox.resolve(shown);
    String original = FileIo.readAll(file, shown, options.maxReadBytes(), null).utf8();
    String modified = TextEdits.apply(original, edits);
    String diff = TextEdits.unifiedDiff(original, modified, shown);
    if (!dryRun) {
      byte[] data = modified.getBytes(StandardCharsets.UTF_8);
      checkWriteSize(shown, data.length);
      FileIo.writeAtomically(file, shown, data);
    }
    return ToolResult.structured(new JsonObject().put("diff", diff).put("dry_run", dryRun), TextEdits.fenced(diff));
  }

  ToolResult createDirectory(ToolCall call) {
    requireWritable();
    String shown = call.string("path");
    Path directory = sandbox.resolve(shown);
    try {
      Files.createDirectories(directory);
    } catch (FileAlreadyExistsException e) {
      throw new ToolException(shown + " (or one of its parents) exists and is not a directory");
    } catch (IOException e) {
      throw Sandbox.failure(shown, e);
    }
    return ToolResult.text("Successfully created directory " + shown);
  }

  ToolResult moveFile(ToolCall call) {
    requireWritable();
    String source = call.string("source");
    String destination = call.string("destination");
    Path from = sandbox.resolve(source);
    Path to = sandbox.resolve(destination);
    if (sandbox.isRoot(from)) {
      throw new ToolException(source + " is an allowed directory itself and cannot be moved");
    }
    if (!Files.exists(from, FileIo.NO_FOLLOW)) {
      throw new ToolException(source + ": no such file or directory");
    }
    if (Files.exists(to, FileIo.NO_FOLLOW)) {
      throw new ToolException("Cannot move " + source + ": the destination " + destination + " already exists");
    }
    if (to.startsWith(from)) {
      throw new ToolException("Cannot move " + source + " into itself (" + destination + ")");
    }
    try {
      Files.move(from, to);
    } catch (FileAlreadyExistsException e) {
      throw new ToolException("Cannot move " + source + ": the destination " + destination + " already exists");
    } catch (IOException e) {
      throw Sandbox.failure("Cannot move " + source + " to " + destination, e);
    }
    return ToolResult.text("Successfully moved " + source + " to " + destination);
  }

  // ---- listing

  ToolResult listDirectory(ToolCall call) {
    String shown = call.string("path");
    Path directory = sandbox.resolve(shown);
    List<Listed> entries = listings.names(directory, shown);
    JsonArray json = new JsonArray(new ArrayList<>(entries.size()));
    StringBuilder text = new StringBuilder(entries.size() * 24);
    for (Listed entry : entries) {
      json.add(new JsonObject().put("name", entry.name()).put("type", entry.type()));
      if (text.length() > 0) {
        text.append('\n');
      }
      text.append(entry.isDirectory() ? "[DIR] " : "[FILE] ").append(entry.name());
    }
    return ToolResult.structured(new JsonObject().put("entries", json), text.toString());
  }

  ToolResult listDirectoryWithSizes(ToolCall call) {
    String shown = call.string("path");
    boolean bySize = "size".equals(call.string("sortBy", "name"));
    Path directory = sandbox.resolve(shown);
    List<Entry> entries = DirectoryListings.read(directory, shown);
    if (bySize) {
      entries.sort(Comparator.comparingLong(Entry::size).reversed().thenComparing(Entry::name));
    } else {
      entries.sort(Comparator.comparing(Entry::name, String.CASE_INSENSITIVE_ORDER).thenComparing(Entry::name));
    }
    JsonArray json = new JsonArray();
    StringBuilder text = new StringBuilder();
    long files = 0;
    long directories = 0;
    long totalSize = 0;
    for (Entry entry : entries) {
      boolean isDirectory = entry.isDirectory();
      long size = entry.size();
      if (isDirectory) {
        directories++;
      } else {
        files++;
        totalSize += size;
      }
      json.add(new JsonObject().put("name", entry.name()).put("type", entry.type()).put("size", size));
      text.append(isDirectory ? "[DIR] " : "[FILE] ").append(padEnd(entry.name(), 30)).append(' ')
          .append(isDirectory ? "" : padStart(FileIo.formatSize(size), 10)).append('\n');
    }
    text.append('\n')
        .append("Total: ").append(files).append(" files, ").append(directories).append(" directories\n")
        .append("Combined size: ").append(FileIo.formatSize(totalSize));
    JsonObject structured = new JsonObject().put("entries", json).put("total_files", files)
        .put("total_directories", directories).put("total_size", totalSize);
    return ToolResult.structured(structured, text.toString());
  }

  private static String padEnd(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }

  private static String padStart(String s, int width) {
    return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
  }

  ToolResult directoryTree(ToolCall call) {
    String shown = call.string("path");
    Glob.Excludes excludes = Glob.Excludes.of(call.strings("excludePatterns"));
    Path directory = sandbox.resolve(shown);
    if (!Files.isDirectory(directory)) {
      throw new ToolException(shown + " is not a directory");
    }
    int[] count = {0};
    JsonArray tree = tree(directory, "", shown, excludes, count);
    StringBuilder text = new StringBuilder();
    renderTree(tree, "", text);
    return ToolResult.structured(new JsonObject().put("entries", tree), text.toString());
  }

  private JsonArray tree(Path directory, String relative, String shown, Glob.Excludes excludes, int[] count) {
    JsonArray children = new JsonArray();
    for (Entry entry : DirectoryListings.read(directory, shown)) {
      String path = relative.isEmpty() ? entry.name() : relative + "/" + entry.name();
      if (excludes.excludes(path)) {
        continue;
      }
      if (++count[0] > MAX_TREE_ENTRIES) {
        throw new ToolException(shown + " holds more than " + MAX_TREE_ENTRIES + " entries; ask for a"
            + " subdirectory or leave parts out with excludePatterns");
      }
      JsonObject node = new JsonObject().put("name", entry.name());
      if (entry.isDirectory()) {
        node.put("type", "directory").put("children",
            tree(directory.resolve(entry.name()), path, shown, excludes, count));
      } else {
        node.put("type", "file");
      }
      children.add(node);
    }
    return children;
  }

  /** The tree as the reference prints it (JSON with 2-space indentation). */
  private static void renderTree(JsonArray entries, String indent, StringBuilder out) {
    if (entries.isEmpty()) {
      out.append("[]");
      return;
    }
    String inner = indent + "  ";
    String field = inner + "  ";
    out.append("[\n");
    for (int i = 0; i < entries.size(); i++) {
      JsonObject node = entries.getJsonObject(i);
      out.append(inner).append("{\n");
      out.append(field).append("\"name\": ").append(Json.encode(node.getString("name"))).append(",\n");
      out.append(field).append("\"type\": \"").append(node.getString("type")).append('"');
      JsonArray children = node.getJsonArray("children");
      if (children != null) {
        out.append(",\n").append(field).append("\"children\": ");
        renderTree(children, field, out);
      }
      out.append('\n').append(inner).append(i == entries.size() - 1 ? "}\n" : "},\n");
    }
    out.append(indent).append(']');
  }

  ToolResult searchFiles(ToolCall call) {
    String shown = call.string("path");
    Glob glob = Glob.compile(call.string("pattern"));
    Glob.Excludes excludes = Glob.Excludes.of(call.strings("excludePatterns"));
    Path start = sandbox.resolve(shown);
    if (!Files.isDirectory(start)) {
      throw new ToolException(shown + " is not a directory");
    }
    List<String> matches = new ArrayList<>();
    boolean complete = search(start, "", glob, excludes, matches, shown);
    String text = matches.isEmpty() ? "No matches found" : String.join("\n", matches);
    if (!complete) {
      text += "\n(stopped after " + MAX_SEARCH_RESULTS + " matches; narrow the pattern or the path)";
    }
    JsonObject structured = new JsonObject().put("matches", new JsonArray(new ArrayList<Object>(matches)))
        .put("truncated", !complete);
    return ToolResult.structured(structured, text);
  }

  /** Depth-first search; false when it stopped at the result limit. */
  private boolean search(Path directory, String relative, Glob glob, Glob.Excludes excludes, List<String> matches,
                         String shown) {
    List<Entry> entries;
    try {
      entries = DirectoryListings.read(directory, shown);
    } catch (ToolException e) {
      if (relative.isEmpty()) {
        throw e;
      }
      return true; // an unreadable subdirectory is skipped, as in the reference
    }
    for (Entry entry : entries) {
      String path = relative.isEmpty() ? entry.name() : relative + "/" + entry.name();
      if (excludes.excludes(path)) {
        continue;
      }
      Path child = directory.resolve(entry.name());
      if (entry.isSymbolicLink() && !linksInside(child)) {
        continue; // a link leading out of the sandbox is not reported
      }
      if (glob.matches(path)) {
        if (matches.size() == MAX_SEARCH_RESULTS) {
          return false;
        }
        matches.add(child.toString());
      }
      if (entry.isDirectory() && !search(child, path, glob, excludes, matches, shown)) {
        return false;
      }
    }
    return true;
  }

  private boolean linksInside(Path link) {
    try {
      return sandbox.contains(link.toRealPath());
    } catch (IOException e) {
      return false;
    }
  }

  // ---- metadata

  ToolResult getFileInfo(ToolCall call) {
    String shown = call.string("path");
    Path path = sandbox.resolve(shown);
    BasicFileAttributes attributes;
    String permissions = null;
    try {
      try {
        PosixFileAttributes posix = Files.readAttributes(path, PosixFileAttributes.class, FileIo.NO_FOLLOW);
        permissions = octal(posix.permissions());
        attributes = posix;
      } catch (UnsupportedOperationException e) {
        attributes = Files.readAttributes(path, BasicFileAttributes.class, FileIo.NO_FOLLOW);
      }
    } catch (IOException e) {
      throw Sandbox.failure(shown, e);
    }
    JsonObject info = new JsonObject()
        .put("size", attributes.size())
        .put("created", attributes.creationTime().toInstant().toString())
        .put("modified", attributes.lastModifiedTime().toInstant().toString())
        .put("accessed", attributes.lastAccessTime().toInstant().toString())
        .put("is_directory", attributes.isDirectory())
        .put("is_file", attributes.isRegularFile());
    if (permissions != null) {
      info.put("permissions", permissions);
    }
    String text = "size: " + info.getLong("size")
        + "\ncreated: " + info.getString("created")
        + "\nmodified: " + info.getString("modified")
        + "\naccessed: " + info.getString("accessed")
        + "\nisDirectory: " + attributes.isDirectory()
        + "\nisFile: " + attributes.isRegularFile()
        + "\npermissions: " + (permissions == null ? "unknown" : permissions);
    return ToolResult.structured(info, text);
  }

  /** rwxr-xr-x as "755". */
  static String octal(Set<PosixFilePermission> permissions) {
    int mode = 0;
    for (PosixFilePermission permission : PERMISSION_BITS) {
      if (permissions.contains(permission)) {
        mode |= 1 << (8 - permission.ordinal());
      }
    }
    return String.format(Locale.ROOT, "%03o", mode);
  }

  ToolResult listAllowedDirectories() {
    List<String> directories = sandbox.roots().stream().map(Path::toString).toList();
    return ToolResult.structured(new JsonObject().put("directories", new JsonArray(new ArrayList<Object>(directories))),
        "Allowed directories:\n" + String.join("\n", directories));
  }
}
