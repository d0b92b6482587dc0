package io.agentnet.mcp.cloud.s3;

import io.agentnet.mcp.cloud.CloudOptions.S3Settings;
import io.agentnet.mcp.cloud.ObjectStorage;
import io.agentnet.mcp.cloud.ObjectStorageContractTest;
import io.agentnet.runtime.mcp.ToolException;
import io.vertx.core.json.JsonObject;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The S3 provider against a real S3 API: s3proxy on loopback with an in-memory blob store. */
class S3ObjectStorageTest extends ObjectStorageContractTest {

  private static final String ACCESS_KEY = "test-access-key";
  private static final String SECRET_KEY = "test-secret-key-do-not-leak";

  private static S3Proxy proxy;
  private static URI endpoint;

  @BeforeAll
  static void startS3() throws Exception {
    proxy = S3Proxy.builder()
        .blobStore(new TransientNio2BlobStore())
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    proxy.start();
    assertThat(proxy.getState()).isEqualTo("STARTED");
    endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  @AfterAll
  static void stopS3() throws Exception {
    if (proxy != null) {
      proxy.stop();
    }
  }

  private static S3Settings settings(URI url, String accessKey, String secretKey) {
    return new S3Settings(url, "us-east-1", true, accessKey, secretKey, null, 3600);
  }

  @Override
  protected ObjectStorage newStorage() {
    return S3ObjectStorage.create(settings(endpoint, ACCESS_KEY, SECRET_KEY));
  }

  @Override
  protected String expectedProviderName() {
    return "s3";
  }

  @Test
  void presignedGetUrlDownloadsWithoutCredentials() throws Exception {
    String bucket = createdBucket();
    tools.ok("put_object", args("bucket", bucket, "key", "shared/report.txt", "content", "quarterly numbers"));

    Instant before = Instant.now();
    JsonObject presigned = tools.ok("presign_url", args("bucket", bucket, "key", "shared/report.txt",
        "expires_seconds", 120));
    assertThat(presigned.getString("method")).isEqualTo("GET");
    assertThat(Instant.parse(presigned.getString("expires_at")))
        .isBetween(before.plusSeconds(119), Instant.now().plusSeconds(121));
    String url = presigned.getString("url");
    assertThat(url).startsWith(endpoint + "/" + bucket + "/shared/report.txt?").contains("X-Amz-Signature=")
        .doesNotContain(SECRET_KEY);

    HttpResponse<String> response = http().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("quarterly numbers");

    // Tampering with the signed URL is refused by the server: the signature is real.
    HttpResponse<String> tampered = http().send(HttpRequest.newBuilder(URI.create(
        url.replace("report.txt", "other.txt"))).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(tampered.statusCode()).isEqualTo(403);
  }

  @Test
  void presignedPutUrlUploads() throws Exception {
    String bucket = createdBucket();
    String url = tools.ok("presign_url", args("bucket", bucket, "key", "upload/data.csv", "method", "PUT"))
        .getString("url");

    HttpResponse<String> response = http().send(HttpRequest.newBuilder(URI.create(url))
        .PUT(HttpRequest.BodyPublishers.ofString("a,b\n1,2\n")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(tools.ok("get_object", args("bucket", bucket, "key", "upload/data.csv")).getString("content"))
        .isEqualTo("a,b\n1,2\n");
  }

  @Test
  void presignExpiryIsBounded() {
    String bucket = createdBucket();
    assertThat(tools.error("presign_url", args("bucket", bucket, "key", "k", "expires_seconds", 3601)))
        .isEqualTo("expires_seconds 3601 is over this server's limit of 3600 seconds");
  }

  @Test
  void rejectedCredentialsAreReportedWithoutTheSecret() {
    try (S3ObjectStorage wrong = S3ObjectStorage.create(settings(endpoint, ACCESS_KEY, "wrong-secret-value"))) {
      assertThatThrownBy(wrong::listBuckets)
          .isInstanceOf(ToolException.class)
          .hasMessageContaining("rejected the credentials")
          .hasMessageNotContaining("wrong-secret-value")
          .hasMessageNotContaining(SECRET_KEY);
    }
  }

  @Test
  void anUnreachableEndpointIsNamed() throws Exception {
    URI nowhere = URI.create("http://127.0.0.1:1"); // nothing listens on port 1; a port just freed could be taken again
    try (S3ObjectStorage unreachable = S3ObjectStorage.create(settings(nowhere, ACCESS_KEY, SECRET_KEY))) {
      assertThatThrownBy(() -> unreachable.createBucket("some-bucket"))
          .isInstanceOf(ToolException.class)
          .hasMessageStartingWith("cannot reach the S3 endpoint " + nowhere + " to create bucket some-bucket")
          .hasMessageNotContaining(SECRET_KEY);
    }
  }

  private static HttpClient http() {
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }
}
