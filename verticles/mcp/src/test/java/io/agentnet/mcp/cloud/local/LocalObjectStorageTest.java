package io.agentnet.mcp.cloud.local;

import io.agentnet.mcp.cloud.ObjectStorage;
import io.agentnet.mcp.cloud.ObjectStorageContractTest;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The local provider: the shared contract, plus what only a directory can get wrong. */
class LocalObjectStorageTest extends ObjectStorageContractTest {

  @TempDir
  Path temp;

  private Path dataDir;

  @Override
  protected ObjectStorage newStorage() {
    dataDir = temp.resolve("data").resolve("objects");
    return new LocalObjectStorage(dataDir);
  }

  @Override
  protected String expectedProviderName() {
    return "local";
  }

  @Test
  void createsTheDataDirAndKeepsObjectsAsFiles() throws IOException {
    assertThat(dataDir).isDirectory();
    String bucket = createdBucket();
    tools.ok("put_object", args("bucket", bucket, "key", "docs/readme.txt", "content", "hello"));

    assertThat(dataDir.resolve(bucket).resolve("docs").resolve("readme.txt")).hasContent("hello");
    // The staging area is left empty: every write was renamed into place.
    try (Stream<Path> staged = Files.list(dataDir.resolve(".staging"))) {
      assertThat(staged).isEmpty();
    }
    // Housekeeping directories are never buckets.
    assertThat(tools.ok("list_buckets", new JsonObject()).getJsonArray("buckets").stream()
        .map(b -> ((JsonObject) b).getString("name"))).containsExactly(bucket);
  }

  @Test
  void keysCannotEscapeTheBucket() throws IOException {
    String bucket = createdBucket();
    List<String> outside = List.of("../escape.txt", "a/../../escape.txt", "a/./b", "/etc/passwd", "a\\..\\b",
        "a//b", "dir/", "..", "nul\u0000byte");
    for (String key : outside) {
      String error = tools.error("put_object", args("bucket", bucket, "key", key, "content", "x"));
      assertThat(error).as("key %s", key).startsWith("invalid object key");
      assertThat(tools.error("get_object", args("bucket", bucket, "key", key))).as("key %s", key)
          .startsWith("invalid object key");
      assertThat(tools.error("delete_object", args("bucket", bucket, "key", key))).as("key %s", key)
          .startsWith("invalid object key");
    }
    assertThat(tools.error("put_object", args("bucket", bucket, "key", "../escape.txt", "content", "x")))
        .isEqualTo("invalid object key \"../escape.txt\": . and .. segments are not allowed");
    assertThat(tools.error("put_object", args("bucket", bucket, "key", "/etc/passwd", "content", "x")))
        .isEqualTo("invalid object key \"/etc/passwd\": it must not start with /");
    assertThat(tools.error("put_object", args("bucket", bucket, "key", "nul\u0000byte", "content", "x")))
        .isEqualTo("invalid object key: it contains a null byte");

    // Nothing was written anywhere but where the buckets live.
    try (Stream<Path> all = Files.walk(temp)) {
      assertThat(all.filter(Files::isRegularFile)).isEmpty();
    }
  }

  @Test
  void aSymlinkInTheTreeDoesNotCarryWritesOut() throws IOException {
    String bucket = createdBucket();
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Files.createSymbolicLink(dataDir.resolve(bucket).resolve("link"), outside);

    assertThat(tools.error("put_object", args("bucket", bucket, "key", "link/file.txt", "content", "x")))
        .contains("outside the data dir");
    try (Stream<Path> written = Files.list(outside)) {
      assertThat(written).isEmpty();
    }
  }

  @Test
  void aKeyCannotBeBothAnObjectAndAFolder() {
    String bucket = createdBucket();
    tools.ok("put_object", args("bucket", bucket, "key", "a", "content", "file"));
    assertThat(tools.error("put_object", args("bucket", bucket, "key", "a/b", "content", "x")))
        .contains("key a/b cannot be stored in bucket " + bucket).contains("a shorter key is already an object");

    tools.ok("put_object", args("bucket", bucket, "key", "d/e", "content", "x"));
    assertThat(tools.error("put_object", args("bucket", bucket, "key", "d", "content", "x")))
        .contains("other keys start with d/");
    assertThat(tools.ok("get_object", args("bucket", bucket, "key", "a")).getString("content")).isEqualTo("file");
  }

  @Test
  void presignNeedsTheS3Provider() {
    String bucket = createdBucket();
    tools.ok("put_object", args("bucket", bucket, "key", "k", "content", "x"));
    assertThat(tools.error("presign_url", args("bucket", bucket, "key", "k")))
        .startsWith("presign_url needs the S3 provider");
  }

  @Test
  void objectsPutThereByHandAreServedWithGuessedMetadata() throws IOException {
    String bucket = createdBucket();
    Files.writeString(dataDir.resolve(bucket).resolve("page.html"), "<p>hi</p>", StandardCharsets.UTF_8);
    JsonObject got = tools.ok("get_object", args("bucket", bucket, "key", "page.html"));
    assertThat(got.getString("content")).isEqualTo("<p>hi</p>");
    assertThat(got.getString("content_type")).isEqualTo("text/html");
    assertThat(got.getString("etag")).isEqualTo(LocalObjectStorage.md5Hex("<p>hi</p>".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aBadContinuationTokenIsAClearError() {
    String bucket = createdBucket();
    assertThat(tools.error("list_objects", args("bucket", bucket, "continuation_token", "%%%")))
        .startsWith("invalid continuation_token");
  }
}
