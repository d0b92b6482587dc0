package io.agentnet.mcp.cloud.s3;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.net.ConnectException;

import static org.assertj.core.api.Assertions.assertThat;

/** Error codes s3proxy does not easily produce (permissions, throttling), translated from built exceptions. */
class S3ErrorsTest {

  private static S3Exception s3(String code, int status, String message) {
    return (S3Exception) S3Exception.builder()
        .statusCode(status)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
        .message(message)
        .build();
  }

  private static String translate(S3Exception e, String key) {
    return S3Errors.translate("read reports/q1.csv", "reports", key, "http://s3.local", e).getMessage();
  }

  @Test
  void knownCodesBecomeAdvice() {
    assertThat(translate(s3("AccessDenied", 403, "Access Denied"), "q1.csv"))
        .isEqualTo("access denied to read reports/q1.csv: the S3 credentials lack the permission for it");
    assertThat(translate(s3("BucketAlreadyExists", 409, "taken"), null))
        .isEqualTo("bucket name reports is taken by another account: choose another name");
    assertThat(translate(s3("SlowDown", 503, "Please reduce your request rate."), "q1.csv"))
        .contains("busy or failing (SlowDown)").contains("try again later");
    assertThat(translate(s3("NoSuchKey", 404, "The specified key does not exist."), "q1.csv"))
        .isEqualTo("object reports/q1.csv does not exist");
  }

  @Test
  void signatureErrorsNeverEchoTheServerMessage() {
    // S3's message for a bad signature can carry the string to sign; only the code is kept.
    String message = translate(s3("SignatureDoesNotMatch", 403, "StringToSign AWS4-HMAC-SHA256 secret-ish"), null);
    assertThat(message).isEqualTo("the S3 endpoint rejected the credentials (SignatureDoesNotMatch): check the "
        + "access key id and secret access key");
  }

  @Test
  void unknownCodesKeepCodeAndShortMessage() {
    assertThat(translate(s3("InvalidStorageClass", 400, "The storage class you specified is not valid"), "q1.csv"))
        .isEqualTo("cannot read reports/q1.csv: InvalidStorageClass (The storage class you specified is not valid)");
    assertThat(translate(s3(null, 404, null), "q1.csv")).isEqualTo("object reports/q1.csv does not exist");
  }

  @Test
  void transportFailuresNameTheEndpointAndTheCause() {
    SdkClientException e = SdkClientException.builder().message("Unable to execute HTTP request")
        .cause(new ConnectException("Connection refused")).build();
    assertThat(S3Errors.translate("list buckets", null, null, "http://s3.local", e).getMessage())
        .isEqualTo("cannot reach the S3 endpoint http://s3.local to list buckets: ConnectException (Connection refused)");
  }
}
