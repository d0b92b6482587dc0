package io.agentnet.mcp.cloud.s3;

import io.agentnet.mcp.cloud.CloudOptions.S3Settings;
import io.agentnet.mcp.cloud.ObjectStorage;
import io.agentnet.runtime.mcp.ToolException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Object storage on an S3 API (AWS, MinIO, Ceph, s3proxy...) with the AWS SDK's synchronous
 * client over the JDK's URL connection, and its presigner for presign_url. SDK exceptions come out
 * as {@link ToolException}s with the bucket or key and what to do, never with credentials.
 */
public final class S3ObjectStorage implements ObjectStorage {

  private final S3Client client;
  private final S3Presigner presigner;
  private final String endpointDescription;
  private final Region region;
  private final boolean awsEndpoint;

  /**
   * @param endpoint the endpoint override, or null for AWS itself (only used in messages and to
   *                 decide whether create_bucket sends a location constraint)
   */
  public S3ObjectStorage(S3Client client, S3Presigner presigner, URI endpoint, Region region) {
    this.client = client;
    this.presigner = presigner;
    this.endpointDescription = endpoint == null ? "AWS S3 (" + region.id() + ")" : endpoint.toString();
    this.region = region;
    this.awsEndpoint = endpoint == null;
  }

  /** A client and presigner for these settings. */
  public static S3ObjectStorage create(S3Settings settings) {
    Region region = Region.of(settings.region());
    AwsCredentialsProvider credentials = credentials(settings);
    S3Configuration serviceConfig = S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build();
    var clientBuilder = S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(10))
            .socketTimeout(Duration.ofSeconds(60)))
        .region(region)
        .credentialsProvider(credentials)
        .forcePathStyle(settings.pathStyle())
        // Checksums only where S3 requires them: many S3-compatible servers reject the newer
        // default (trailing CRC32 on every upload).
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    var presignerBuilder = S3Presigner.builder()
        .region(region)
        .credentialsProvider(credentials)
        .serviceConfiguration(serviceConfig);
    if (settings.endpoint() != null) {
      clientBuilder.endpointOverride(settings.endpoint());
      presignerBuilder.endpointOverride(settings.endpoint());
    }
    return new S3ObjectStorage(clientBuilder.build(), presignerBuilder.build(), settings.endpoint(), region);
  }

  private static AwsCredentialsProvider credentials(S3Settings settings) {
    if (!settings.hasStaticCredentials()) {
      return DefaultCredentialsProvider.builder().build();
    }
    if (settings.sessionToken() != null) {
      return StaticCredentialsProvider.create(AwsSessionCredentials.create(settings.accessKeyId(),
          settings.secretAccessKey(), settings.sessionToken()));
    }
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKeyId(),
        settings.secretAccessKey()));
  }

  @Override
  public String providerName() {
    return "s3";
  }

  @Override
  public List<Bucket> listBuckets() {
    return call("list buckets", null, null, () -> client.listBuckets().buckets().stream()
        .map(b -> new Bucket(b.name(), b.creationDate()))
        .toList());
  }

  @Override
  public void createBucket(String bucket) {
    CreateBucketRequest.Builder request = CreateBucketRequest.builder().bucket(bucket);
    if (awsEndpoint && !Region.US_EAST_1.equals(region)) {
      // AWS wants the region spelt out everywhere but us-east-1.
      request.createBucketConfiguration(c -> c.locationConstraint(region.id()));
    }
    call("create bucket " + bucket, bucket, null, () -> client.createBucket(request.build()));
  }

  @Override
  public void deleteBucket(String bucket) {
    call("delete bucket " + bucket, bucket, null, () -> client.deleteBucket(b -> b.bucket(bucket)));
  }

  @Override
  public ObjectListing listObjects(String bucket, String prefix, int maxKeys, String continuationToken) {
    ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(bucket).maxKeys(maxKeys);
    if (prefix != null) {
      request.prefix(prefix);
    }
    if (continuationToken != null) {
      request.continuationToken(continuationToken);
    }
    ListObjectsV2Response response = call("list bucket " + bucket, bucket, null,
        () -> client.listObjectsV2(request.build()));
    List<ObjectSummary> objects = response.contents().stream()
        .map(o -> new ObjectSummary(o.key(), o.size() == null ? 0 : o.size(), o.lastModified(), unquote(o.eTag())))
        .toList();
    boolean truncated = Boolean.TRUE.equals(response.isTruncated());
    return new ObjectListing(objects, truncated, truncated ? response.nextContinuationToken() : null);
  }

  @Override
  public StoredObject getObject(String bucket, String key, long maxBytes) {
    GetObjectRequest request = GetObjectRequest.builder().bucket(bucket).key(key).build();
    return call("read " + bucket + "/" + key, bucket, key, () -> {
      ResponseInputStream<GetObjectResponse> in = client.getObject(request);
      try (in) {
        GetObjectResponse meta = in.response();
        Long length = meta.contentLength();
        if (length != null && length > maxBytes) {
          in.abort(); // don't drain what we will not return
          throw tooBig(bucket, key, length, maxBytes);
        }
        byte[] content = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (content.length > maxBytes) {
          in.abort();
          throw tooBig(bucket, key, -1, maxBytes);
        }
        return new StoredObject(content, meta.contentType(), meta.lastModified(), unquote(meta.eTag()));
      } catch (IOException e) {
        throw new ToolException("cannot read " + bucket + "/" + key + " from " + endpointDescription + ": "
            + e.getClass().getSimpleName());
      }
    });
  }

  @Override
  public String putObject(String bucket, String key, byte[] content, String contentType) {
    PutObjectRequest request = PutObjectRequest.builder().bucket(bucket).key(key).contentType(contentType)
        .contentLength((long) content.length).build();
    return call("write " + bucket + "/" + key, bucket, key,
        () -> unquote(client.putObject(request, RequestBody.fromBytes(content)).eTag()));
  }

  @Override
  public void deleteObject(String bucket, String key) {
    call("delete " + bucket + "/" + key, bucket, key, () -> client.deleteObject(b -> b.bucket(bucket).key(key)));
  }

  @Override
  public String presignUrl(String bucket, String key, PresignMethod method, Duration expiry) {
    return call("presign " + bucket + "/" + key, bucket, key, () -> switch (method) {
      case GET -> presigner.presignGetObject(p -> p.signatureDuration(expiry)
          .getObjectRequest(r -> r.bucket(bucket).key(key))).url().toString();
      case PUT -> presigner.presignPutObject(p -> p.signatureDuration(expiry)
          .putObjectRequest(r -> r.bucket(bucket).key(key))).url().toString();
    });
  }

  @Override
  public void close() {
    try {
      presigner.close();
    } finally {
      client.close();
    }
  }

  private <T> T call(String action, String bucket, String key, Supplier<T> request) {
    try {
      return request.get();
    } catch (SdkException e) {
      throw S3Errors.translate(action, bucket, key, endpointDescription, e);
    }
  }

  private static ToolException tooBig(String bucket, String key, long size, long maxBytes) {
    return new ToolException("object " + bucket + "/" + key + " is " + (size >= 0 ? size + " bytes" : "larger")
        + ", over the limit of " + maxBytes + " bytes a call may return; download it with a presign_url GET URL");
  }

  private static String unquote(String etag) {
    if (etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")) {
      return etag.substring(1, etag.length() - 1);
    }
    return etag;
  }
}
