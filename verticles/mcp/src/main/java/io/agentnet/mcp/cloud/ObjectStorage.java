package io.agentnet.mcp.cloud;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Buckets of objects, whatever stores them (an S3 API, a local directory). Methods block; a
 * failure a person can act on (no such bucket, not empty, access denied) is a
 * {@link io.agentnet.runtime.mcp.ToolException} with a message that names the bucket or key.
 */
public interface ObjectStorage extends AutoCloseable {

  /** Short name of the provider ("local", "s3") for instructions and results. */
  String providerName();

  List<Bucket> listBuckets();

  void createBucket(String bucket);

  /** Deletes an empty bucket; a bucket with objects in it is an error, never emptied silently. */
  void deleteBucket(String bucket);

  /**
   * One page of the keys in a bucket, in lexicographic order.
   *
   * @param prefix only keys starting with it, or null for all
   * @param continuationToken from the previous page's {@link ObjectListing#nextContinuationToken()}, or null
   */
  ObjectListing listObjects(String bucket, String prefix, int maxKeys, String continuationToken);

  /** The object's bytes and metadata; an object larger than {@code maxBytes} is an error, not read. */
  StoredObject getObject(String bucket, String key, long maxBytes);

  /** Stores (or replaces) an object; returns its ETag. */
  String putObject(String bucket, String key, byte[] content, String contentType);

  /** Deletes an object; deleting a key that is not there succeeds, as on S3. */
  void deleteObject(String bucket, String key);

  /** A URL that lets its holder GET or PUT one object without credentials until it expires. */
  String presignUrl(String bucket, String key, PresignMethod method, Duration expiry);

  @Override
  default void close() {
  }

  /** HTTP methods a presigned URL can be made for. */
  enum PresignMethod { GET, PUT }

  /** A bucket and when it was created (null when the provider does not say). */
  record Bucket(String name, Instant createdAt) {
  }

  /** One entry of a listing. */
  record ObjectSummary(String key, long size, Instant lastModified, String etag) {
  }

  /** A page of keys; {@code nextContinuationToken} is null on the last page. */
  record ObjectListing(List<ObjectSummary> objects, boolean truncated, String nextContinuationToken) {
  }

  /** An object read whole. */
  record StoredObject(byte[] content, String contentType, Instant lastModified, String etag) {
  }
}
