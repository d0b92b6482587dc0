package io.agentnet.mcp.cloud;

import io.agentnet.mcp.cloud.ObjectStorage.ObjectListing;
import io.agentnet.mcp.cloud.ObjectStorage.PresignMethod;
import io.agentnet.mcp.cloud.ObjectStorage.StoredObject;
import io.agentnet.runtime.mcp.Schemas;
import io.agentnet.runtime.mcp.Tool;
import io.agentnet.runtime.mcp.ToolAnnotations;
import io.agentnet.runtime.mcp.ToolException;
import io.agentnet.runtime.mcp.ToolResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** The bucket and object tools over one {@link ObjectStorage}; every SDK call blocks, so all are blocking tools. */
final class ObjectStorageTools {

  static final int DEFAULT_MAX_KEYS = 100;
  static final int DEFAULT_PRESIGN_SECONDS = 900;

  private final ObjectStorage storage;
  private final OperationTracker tracker;
  private final int maxObjectBytes;
  private final int maxPresignSeconds;
  private final boolean openWorld;

  ObjectStorageTools(ObjectStorage storage, OperationTracker tracker, int maxObjectBytes, int maxPresignSeconds) {
    this.storage = storage;
    this.tracker = tracker;
    this.maxObjectBytes = maxObjectBytes;
    this.maxPresignSeconds = maxPresignSeconds;
    // A local directory is this server's own world; an S3 API is somebody else's.
    this.openWorld = !"local".equals(storage.providerName());
  }

  List<Tool> tools() {
    return List.of(listBuckets(), createBucket(), deleteBucket(), listObjects(), getObject(), putObject(),
        deleteObject(), presignUrl());
  }

  private static JsonObject bucketArg() {
    return Schemas.string("Bucket name (3-63 lowercase letters, digits, dots, hyphens)");
  }

  private static JsonObject keyArg() {
    return Schemas.string("Object key, such as reports/2024/q1.csv");
  }

  private Tool listBuckets() {
    return Tool.builder("list_buckets")
        .title("List buckets")
        .description("Lists the buckets of the object storage with their creation time.")
        .input(Schemas.object().build())
        .output(Schemas.object()
            .required("provider", Schemas.string("local or s3"))
            .required("buckets", Schemas.array(Schemas.object()
                .required("name", Schemas.string(null))
                .optional("created_at", Schemas.string("ISO-8601 instant"))
                .additionalProperties(true).build(), null))
            .additionalProperties(true).build())
        .annotations(ToolAnnotations.readOnly(openWorld))
        .blocking(call -> {
          JsonArray buckets = new JsonArray();
          for (ObjectStorage.Bucket b : storage.listBuckets()) {
            JsonObject json = new JsonObject().put("name", b.name());
            if (b.createdAt() != null) {
              json.put("created_at", b.createdAt().toString());
            }
            buckets.add(json);
          }
          return ToolResult.structured(new JsonObject().put("provider", storage.providerName()).put("buckets", buckets));
        })
        .build();
  }

  private Tool createBucket() {
    return Tool.builder("create_bucket")
        .title("Create bucket")
        .description("Creates an empty bucket; fails when the name is taken. Returns a finished operation.")
        .input(Schemas.object().required("bucket", bucketArg()).build())
        .output(OperationTools.OPERATION_SCHEMA)
        .annotations(ToolAnnotations.mutating(false, false, openWorld))
        .blocking(call -> {
          String bucket = BucketNames.validate(call.string("bucket"));
          storage.createBucket(bucket);
          return OperationTools.result(tracker.succeeded("create_bucket", bucket, new JsonObject().put("bucket", bucket)));
        })
        .build();
  }

  private Tool deleteBucket() {
    return Tool.builder("delete_bucket")
        .title("Delete bucket")
        .description("Deletes an empty bucket; a bucket that still holds objects is refused (delete them first). "
            + "Returns a finished operation.")
        .input(Schemas.object().required("bucket", bucketArg()).build())
        .output(OperationTools.OPERATION_SCHEMA)
        .annotations(ToolAnnotations.mutating(true, true, openWorld))
        .blocking(call -> {
          String bucket = BucketNames.validate(call.string("bucket"));
          storage.deleteBucket(bucket);
          return OperationTools.result(tracker.succeeded("delete_bucket", bucket,
              new JsonObject().put("bucket", bucket).put("deleted", true)));
        })
        .build();
  }

  private Tool listObjects() {
    return Tool.builder("list_objects")
        .title("List objects")
        .description("Lists the objects of a bucket in key order, optionally only keys with a prefix, one page "
            + "at a time; pass next_continuation_token back to get the next page.")
        .input(Schemas.object()
            .required("bucket", bucketArg())
            .optional("prefix", Schemas.string("Only keys that start with this"))
            .optional("max_keys", Schemas.integer("Most keys in this page (default " + DEFAULT_MAX_KEYS + ")", 1, 1000))
            .optional("continuation_token", Schemas.string("next_continuation_token of the previous page"))
            .build())
        .output(Schemas.object()
            .required("bucket", Schemas.string(null))
            .required("objects", Schemas.array(Schemas.object()
                .required("key", Schemas.string(null))
                .required("size", Schemas.integer("Bytes"))
                .optional("last_modified", Schemas.string("ISO-8601 instant"))
                .optional("etag", Schemas.string(null))
                .additionalProperties(true).build(), null))
            .required("is_truncated", Schemas.bool("More keys follow"))
            .optional("next_continuation_token", Schemas.string("Pass it back for the next page"))
            .additionalProperties(true).build())
        .annotations(ToolAnnotations.readOnly(openWorld))
        .blocking(call -> {
          String bucket = BucketNames.validate(call.string("bucket"));
          String prefix = call.string("prefix", null);
          ObjectListing listing = storage.listObjects(bucket, prefix == null || prefix.isEmpty() ? null : prefix,
              call.integer("max_keys", DEFAULT_MAX_KEYS), call.string("continuation_token", null));
          JsonArray objects = new JsonArray();
          for (ObjectStorage.ObjectSummary o : listing.objects()) {
            JsonObject json = new JsonObject().put("key", o.key()).put("size", o.size());
            if (o.lastModified() != null) {
              json.put("last_modified", o.lastModified().toString());
            }
            if (o.etag() != null) {
              json.put("etag", o.etag());
            }
            objects.add(json);
          }
          JsonObject result = new JsonObject().put("bucket", bucket);
          if (prefix != null) {
            result.put("prefix", prefix);
          }
          result.put("objects", objects).put("is_truncated", listing.truncated());
          if (listing.nextContinuationToken() != null) {
            result.put("next_continuation_token", listing.nextContinuationToken());
          }
          return ToolResult.structured(result);
        })
        .build();
  }

  private Tool getObject() {
    return Tool.builder("get_object")
        .title("Get object")
        .description("Reads an object: UTF-8 text as text, anything else as base64 (or as asked with encoding). "
            + "Objects over " + maxObjectBytes + " bytes are refused; use presign_url to download those.")
        .input(Schemas.object()
            .required("bucket", bucketArg())
            .required("key", keyArg())
            .optional("encoding", Schemas.enumOf("auto (default): text when the bytes are UTF-8, else base64",
                "auto", "text", "base64"))
            .build())
        .output(Schemas.object()
            .required("bucket", Schemas.string(null))
            .required("key", Schemas.string(null))
            .required("size", Schemas.integer("Bytes"))
            .required("encoding", Schemas.enumOf("How content is written", "text", "base64"))
            .required("content", Schemas.string("The object's content"))
            .optional("content_type", Schemas.string(null))
            .optional("etag", Schemas.string(null))
            .optional("last_modified", Schemas.string("ISO-8601 instant"))
            .additionalProperties(true).build())
        .annotations(ToolAnnotations.readOnly(openWorld))
        .blocking(call -> {
          String bucket = BucketNames.validate(call.string("bucket"));
          String key = ObjectKeys.validate(call.string("key"));
          String asked = call.string("encoding", "auto");
          StoredObject object = storage.getObject(bucket, key, maxObjectBytes);
          String text = "base64".equals(asked) ? null : utf8OrNull(object.content());
          if ("text".equals(asked) && text == null) {
            throw new ToolException("object " + bucket + "/" + key + " is not UTF-8 text; read it with encoding base64");
          }
          JsonObject result = new JsonObject().put("bucket", bucket).put("key", key)
              .put("size", object.content().length)
              .put("encoding", text != null ? "text" : "base64")
              .put("content", text != null ? text : Base64.getEncoder().encodeToString(object.content()));
          if (object.contentType() != null) {
            result.put("content_type", object.contentType());
          }
          if (object.etag() != null) {
            result.put("etag", object.etag());
          }
          if (object.lastModified() != null) {
            result.put("last_modified", object.lastModified().toString());
          }
          return ToolResult.structured(result);
        })
        .build();
  }

  private Tool putObject() {
    return Tool.builder("put_object")
        .title("Put object")
        .description("Writes an object from text or base64 content, replacing any object with the same key. "
            + "Returns a finished operation with the object's size and ETag.")
        .input(Schemas.object()
            .required("bucket", bucketArg())
            .required("key", keyArg())
            .required("content", Schemas.string("The content, as text or base64 (see encoding)"))
            .optional("encoding", Schemas.enumOf("text (default, stored as UTF-8) or base64 for binary", "text", "base64"))
            .optional("content_type", Schemas.string("MIME type (default text/plain; charset=utf-8 for text, "
                + "application/octet-stream for base64)"))
            .build())
        .output(OperationTools.OPERATION_SCHEMA)
        .annotations(ToolAnnotations.mutating(true, true, openWorld))
        .blocking(call -> {
          String bucket = BucketNames.validate(call.string("bucket"));
          String key = ObjectKeys.validate(call.string("key"));
          boolean base64 = "base64".equals(call.string("encoding", "text"));
          byte[] bytes;
          if (base64) {
            try {
              // Line breaks and spaces are tolerated; any other stray character is an error.
              bytes = Base64.getDecoder().decode(call.string("content").replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
              throw new ToolException("content is not valid base64: " + e.getMessage());
            }
          } else {
            bytes = call.string("content").getBytes(StandardCharsets.UTF_8);
          }
          if (bytes.length > maxObjectBytes) {
            throw new ToolException("object too big: " + bytes.length + " bytes, the limit is " + maxObjectBytes
                + " bytes; upload it through a presign_url PUT URL instead");
          }
          String contentType = call.string("content_type",
              base64 ? "application/octet-stream" : "text/plain; charset=utf-8");
          String etag = storage.putObject(bucket, key, bytes, contentType);
          JsonObject result = new JsonObject().put("bucket", bucket).put("key", key).put("size", bytes.length)
              .put("content_type", contentType);
          if (etag != null) {
            result.put("etag", etag);
          }
          return OperationTools.result(tracker.succeeded("put_object", bucket + "/" + key, result));
        })
        .build();
  }

  private Tool deleteObject() {
    return Tool.builder("delete_object")
        .title("Delete object")
        .description("Deletes an object; deleting a key that is not there succeeds, as on S3. Returns a finished "
            + "operation.")
        .input(Schemas.object().required("bucket", bucketArg()).required("key", keyArg()).build())
        .output(OperationTools.OPERATION_SCHEMA)
        .annotations(ToolAnnotations.mutating(true, true, openWorld))
        .blocking(call -> {
          String bucket = BucketNames.validate(call.string("bucket"));
          String key = ObjectKeys.validate(call.string("key"));
          storage.deleteObject(bucket, key);
          return OperationTools.result(tracker.succeeded("delete_object", bucket + "/" + key,
              new JsonObject().put("bucket", bucket).put("key", key).put("deleted", true)));
        })
        .build();
  }

  private Tool presignUrl() {
    return Tool.builder("presign_url")
        .title("Presign URL")
        .description("Makes a URL that lets anyone holding it GET (download) or PUT (upload) one object without "
            + "credentials until it expires; needs the S3 provider.")
        .input(Schemas.object()
            .required("bucket", bucketArg())
            .required("key", keyArg())
            .optional("method", Schemas.enumOf("GET (default) to download, PUT to upload", "GET", "PUT"))
            .optional("expires_seconds", Schemas.integer("Validity in seconds (default " + DEFAULT_PRESIGN_SECONDS
                + ", at most " + maxPresignSeconds + ")", 1, CloudOptions.S3_MAX_PRESIGN_SECONDS))
            .build())
        .output(Schemas.object()
            .required("url", Schemas.string("The presigned URL; treat it as a secret until it expires"))
            .required("method", Schemas.string(null))
            .required("expires_at", Schemas.string("ISO-8601 instant"))
            .additionalProperties(true).build())
        // Signing happens locally: nothing changes until someone uses the URL.
        .annotations(ToolAnnotations.readOnly(openWorld))
        .blocking(call -> {
          String bucket = BucketNames.validate(call.string("bucket"));
          String key = ObjectKeys.validate(call.string("key"));
          PresignMethod method = PresignMethod.valueOf(call.string("method", "GET"));
          int seconds = call.integer("expires_seconds", Math.min(DEFAULT_PRESIGN_SECONDS, maxPresignSeconds));
          if (seconds > maxPresignSeconds) {
            throw new ToolException("expires_seconds " + seconds + " is over this server's limit of "
                + maxPresignSeconds + " seconds");
          }
          Instant expiresAt = Instant.now().plusSeconds(seconds);
          String url = storage.presignUrl(bucket, key, method, Duration.ofSeconds(seconds));
          return ToolResult.structured(new JsonObject().put("url", url).put("method", method.name())
              .put("bucket", bucket).put("key", key).put("expires_at", expiresAt.toString()));
        })
        .build();
  }

  /** The bytes as a string when they are valid UTF-8 without NUL characters, else null. */
  static String utf8OrNull(byte[] bytes) {
    try {
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
      return text.indexOf('\0') >= 0 ? null : text;
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
