package io.agentnet.mcp.cloud;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract every {@link ObjectStorage} keeps, checked through the tools as a client calls
 * them. Subclasses supply the provider (local directory, S3 API) and test presign_url, which
 * differs.
 */
public abstract class ObjectStorageContractTest {

  /** Small, so "too big" is cheap to test. */
  protected static final int MAX_OBJECT_BYTES = 64 * 1024;

  protected ObjectStorage storage;
  protected CloudToolProvider provider;
  protected ToolCaller tools;

  /** A fresh provider; it may share a server with other tests, so tests use unique bucket names. */
  protected abstract ObjectStorage newStorage() throws Exception;

  protected abstract String expectedProviderName();

  @BeforeEach
  void createProvider() throws Exception {
    storage = newStorage();
    CloudOptions options = CloudOptions.local(java.nio.file.Path.of("unused"))
        .withLimits(new CloudOptions.Limits(MAX_OBJECT_BYTES, 1024 * 1024, 100));
    provider = new CloudToolProvider(storage, null, "no cluster in this test", options, new OperationTracker(100));
    tools = new ToolCaller(provider);
  }

  @AfterEach
  void closeProvider() {
    provider.close();
  }

  protected static String uniqueBucket() {
    return "t-" + UUID.randomUUID().toString().substring(0, 18);
  }

  protected static JsonObject args(Object... pairs) {
    JsonObject json = new JsonObject();
    for (int i = 0; i < pairs.length; i += 2) {
      json.put((String) pairs[i], pairs[i + 1]);
    }
    return json;
  }

  protected String createdBucket() {
    String bucket = uniqueBucket();
    tools.ok("create_bucket", args("bucket", bucket));
    return bucket;
  }

  private List<String> bucketNames() {
    JsonArray buckets = tools.ok("list_buckets", new JsonObject()).getJsonArray("buckets");
    List<String> names = new ArrayList<>();
    buckets.forEach(b -> names.add(((JsonObject) b).getString("name")));
    return names;
  }

  @Test
  void bucketLifecycleReturnsFinishedOperations() {
    String bucket = uniqueBucket();
    assertThat(bucketNames()).doesNotContain(bucket);

    JsonObject created = tools.ok("create_bucket", args("bucket", bucket));
    assertThat(created.getString("status")).isEqualTo("succeeded");
    assertThat(created.getString("kind")).isEqualTo("create_bucket");
    assertThat(created.getString("target")).isEqualTo(bucket);
    assertThat(created.getString("finished_at")).isNotNull();
    assertThat(bucketNames()).contains(bucket);
    assertThat(tools.ok("list_buckets", new JsonObject()).getString("provider")).isEqualTo(expectedProviderName());

    JsonObject polled = tools.ok("get_operation", args("operation_id", created.getString("operation_id")));
    assertThat(polled).isEqualTo(created);

    assertThat(tools.error("create_bucket", args("bucket", bucket))).contains(bucket).contains("already exists");

    JsonObject deleted = tools.ok("delete_bucket", args("bucket", bucket));
    assertThat(deleted.getString("status")).isEqualTo("succeeded");
    assertThat(deleted.getJsonObject("result").getBoolean("deleted")).isTrue();
    assertThat(bucketNames()).doesNotContain(bucket);
    assertThat(tools.error("delete_bucket", args("bucket", bucket))).isEqualTo("bucket " + bucket + " does not exist");
  }

  @Test
  void bucketWithObjectsIsNotDeleted() {
    String bucket = createdBucket();
    tools.ok("put_object", args("bucket", bucket, "key", "dir/file.txt", "content", "x"));

    assertThat(tools.error("delete_bucket", args("bucket", bucket)))
        .isEqualTo("bucket " + bucket + " is not empty: delete its objects first");
    assertThat(bucketNames()).contains(bucket);

    tools.ok("delete_object", args("bucket", bucket, "key", "dir/file.txt"));
    tools.ok("delete_bucket", args("bucket", bucket));
    assertThat(bucketNames()).doesNotContain(bucket);
  }

  @Test
  void textRoundTrip() {
    String bucket = createdBucket();
    JsonObject put = tools.ok("put_object", args("bucket", bucket, "key", "notes/hello.md",
        "content", "# Hello\nwörld ✓\n", "content_type", "text/markdown"));
    assertThat(put.getString("status")).isEqualTo("succeeded");
    assertThat(put.getString("target")).isEqualTo(bucket + "/notes/hello.md");
    JsonObject putResult = put.getJsonObject("result");
    int utf8Size = "# Hello\nwörld ✓\n".getBytes(StandardCharsets.UTF_8).length;
    assertThat(putResult.getInteger("size")).isEqualTo(utf8Size);

    JsonObject got = tools.ok("get_object", args("bucket", bucket, "key", "notes/hello.md"));
    assertThat(got.getString("encoding")).isEqualTo("text");
    assertThat(got.getString("content")).isEqualTo("# Hello\nwörld ✓\n");
    assertThat(got.getInteger("size")).isEqualTo(utf8Size);
    assertThat(got.getString("content_type")).startsWith("text/markdown");
    assertThat(got.getString("etag")).isEqualTo(putResult.getString("etag")).isNotBlank();
    assertThat(got.getString("last_modified")).isNotNull();
  }

  @Test
  void binaryRoundTripAsBase64() {
    String bucket = createdBucket();
    byte[] bytes = {0, 1, 2, (byte) 0xff, (byte) 0xfe, 0x7f, 0, (byte) 0x80};
    String base64 = Base64.getEncoder().encodeToString(bytes);
    tools.ok("put_object", args("bucket", bucket, "key", "blob.bin", "content", base64, "encoding", "base64"));

    JsonObject got = tools.ok("get_object", args("bucket", bucket, "key", "blob.bin"));
    assertThat(got.getString("encoding")).isEqualTo("base64");
    assertThat(Base64.getDecoder().decode(got.getString("content"))).isEqualTo(bytes);
    assertThat(got.getString("content_type")).isEqualTo("application/octet-stream");
    assertThat(got.getInteger("size")).isEqualTo(bytes.length);

    assertThat(tools.error("get_object", args("bucket", bucket, "key", "blob.bin", "encoding", "text")))
        .contains("not UTF-8 text").contains("base64");

    // Text asked for as base64 comes back as base64.
    tools.ok("put_object", args("bucket", bucket, "key", "t.txt", "content", "abc"));
    JsonObject asBase64 = tools.ok("get_object", args("bucket", bucket, "key", "t.txt", "encoding", "base64"));
    assertThat(asBase64.getString("content")).isEqualTo(Base64.getEncoder().encodeToString("abc".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void putReplacesAnExistingObject() {
    String bucket = createdBucket();
    tools.ok("put_object", args("bucket", bucket, "key", "k", "content", "first"));
    tools.ok("put_object", args("bucket", bucket, "key", "k", "content", "second"));
    assertThat(tools.ok("get_object", args("bucket", bucket, "key", "k")).getString("content")).isEqualTo("second");
  }

  @Test
  void listingFollowsPrefixAndContinuationTokens() {
    String bucket = createdBucket();
    List<String> keys = List.of("a/1.txt", "a/2.txt", "a/3.txt", "a/sub/4.txt", "a/sub/5.txt", "b/6.txt", "c.txt");
    for (String key : keys) {
      tools.ok("put_object", args("bucket", bucket, "key", key, "content", key));
    }

    List<String> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      JsonObject request = args("bucket", bucket, "prefix", "a/", "max_keys", 2);
      if (token != null) {
        request.put("continuation_token", token);
      }
      JsonObject page = tools.ok("list_objects", request);
      JsonArray objects = page.getJsonArray("objects");
      assertThat(objects.size()).isLessThanOrEqualTo(2);
      objects.forEach(o -> {
        JsonObject obj = (JsonObject) o;
        seen.add(obj.getString("key"));
        assertThat(obj.getLong("size")).isEqualTo(obj.getString("key").length());
      });
      token = page.getString("next_continuation_token");
      assertThat(page.getBoolean("is_truncated")).isEqualTo(token != null);
      pages++;
    } while (token != null && pages < 10);

    assertThat(seen).containsExactly("a/1.txt", "a/2.txt", "a/3.txt", "a/sub/4.txt", "a/sub/5.txt");
    assertThat(pages).isEqualTo(3);

    JsonObject all = tools.ok("list_objects", args("bucket", bucket));
    assertThat(all.getJsonArray("objects").size()).isEqualTo(keys.size());
    assertThat(all.getBoolean("is_truncated")).isFalse();
    assertThat(all.containsKey("next_continuation_token")).isFalse();
  }

  @Test
  void missingBucketsAndObjectsAreClearErrors() {
    String missing = uniqueBucket();
    assertThat(tools.error("list_objects", args("bucket", missing))).isEqualTo("bucket " + missing + " does not exist");
    assertThat(tools.error("get_object", args("bucket", missing, "key", "k"))).isEqualTo("bucket " + missing + " does not exist");
    assertThat(tools.error("put_object", args("bucket", missing, "key", "k", "content", "x")))
        .isEqualTo("bucket " + missing + " does not exist");

    String bucket = createdBucket();
    assertThat(tools.error("get_object", args("bucket", bucket, "key", "nope/none.txt")))
        .isEqualTo("object " + bucket + "/nope/none.txt does not exist");
  }

  @Test
  void deleteObjectIsIdempotent() {
    String bucket = createdBucket();
    tools.ok("put_object", args("bucket", bucket, "key", "x/y/z.txt", "content", "z"));
    JsonObject deleted = tools.ok("delete_object", args("bucket", bucket, "key", "x/y/z.txt"));
    assertThat(deleted.getString("status")).isEqualTo("succeeded");
    assertThat(deleted.getString("target")).isEqualTo(bucket + "/x/y/z.txt");
    assertThat(tools.error("get_object", args("bucket", bucket, "key", "x/y/z.txt"))).contains("does not exist");
    tools.ok("delete_object", args("bucket", bucket, "key", "x/y/z.txt"));
    assertThat(tools.ok("list_objects", args("bucket", bucket)).getJsonArray("objects")).isEmpty();
    // Nothing left behind: the bucket counts as empty again.
    tools.ok("delete_bucket", args("bucket", bucket));
  }

  @Test
  void objectsOverTheLimitAreRefused() {
    String bucket = createdBucket();
    String big = "x".repeat(MAX_OBJECT_BYTES + 1);
    assertThat(tools.error("put_object", args("bucket", bucket, "key", "big.txt", "content", big)))
        .contains("object too big: " + (MAX_OBJECT_BYTES + 1) + " bytes, the limit is " + MAX_OBJECT_BYTES);
    assertThat(tools.error("get_object", args("bucket", bucket, "key", "big.txt"))).contains("does not exist");

    // Stored by other means (a bigger upload elsewhere): reading it through the tool is refused.
    storage.putObject(bucket, "big.txt", big.getBytes(StandardCharsets.UTF_8), "text/plain");
    assertThat(tools.error("get_object", args("bucket", bucket, "key", "big.txt")))
        .contains(bucket + "/big.txt").contains("over the limit of " + MAX_OBJECT_BYTES + " bytes");

    // Exactly at the limit is fine.
    tools.ok("put_object", args("bucket", bucket, "key", "edge.txt", "content", "y".repeat(MAX_OBJECT_BYTES)));
    assertThat(tools.ok("get_object", args("bucket", bucket, "key", "edge.txt")).getInteger("size"))
        .isEqualTo(MAX_OBJECT_BYTES);
  }

  @Test
  void invalidBucketNamesAreRefusedBeforeAnyRequest() {
    assertThat(tools.error("create_bucket", args("bucket", "Upper_Case"))).isEqualTo(
        "invalid bucket name \"Upper_Case\": only lowercase letters, digits, dots and hyphens are allowed");
    assertThat(tools.error("create_bucket", args("bucket", "ab"))).contains("3 to 63 characters");
    assertThat(tools.error("create_bucket", args("bucket", "192.168.1.10"))).contains("IP address");
    assertThat(tools.error("create_bucket", args("bucket", "-dash"))).contains("begin and end");
    assertThat(tools.error("create_bucket", args("bucket", "a..b"))).contains("two dots");
    assertThat(tools.error("list_objects", args("bucket", "../etc"))).contains("invalid bucket name");
    assertThat(tools.error("get_object", args("bucket", "x", "key", "k"))).contains("invalid bucket name");
  }

  @Test
  void badContentIsRefused() {
    String bucket = createdBucket();
    assertThat(tools.error("put_object", args("bucket", bucket, "key", "b.bin", "content", "not base64!",
        "encoding", "base64"))).startsWith("content is not valid base64");
    assertThat(tools.error("put_object", args("bucket", bucket, "key", "", "content", "x")))
        .isEqualTo("invalid object key: it is empty");
    assertThat(tools.error("put_object", args("bucket", bucket, "key", "k".repeat(1025), "content", "x")))
        .contains("longer than 1024 bytes");
  }

  @Test
  void schemasRejectWhatTheServerWouldRefuse() {
    assertThat(tools.acceptsArguments("list_objects", args("bucket", "abc", "max_keys", 0))).isFalse();
    assertThat(tools.acceptsArguments("list_objects", args("bucket", "abc", "max_keys", 1001))).isFalse();
    assertThat(tools.acceptsArguments("put_object", args("bucket", "abc", "key", "k"))).isFalse();
    assertThat(tools.acceptsArguments("put_object", args("bucket", "abc", "key", "k", "content", "x",
        "encoding", "hex"))).isFalse();
    assertThat(tools.acceptsArguments("create_bucket", args("bucket", "abc", "region", "x"))).isFalse();
    assertThat(tools.acceptsArguments("presign_url", args("bucket", "abc", "key", "k", "method", "DELETE"))).isFalse();
    assertThat(tools.acceptsArguments("presign_url", args("bucket", "abc", "key", "k", "expires_seconds", 604801)))
        .isFalse();
  }
}
