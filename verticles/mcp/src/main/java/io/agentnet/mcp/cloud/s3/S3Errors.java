package io.agentnet.mcp.cloud.s3;

import io.agentnet.runtime.mcp.ToolException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns SDK exceptions into messages a person can act on. Only the error code, the service's short
 * message and the bucket/key go into them: never request headers, signatures or credentials.
 */
final class S3Errors {

  private S3Errors() {
  }

  /**
   * @param action what was being done ("create bucket reports"), for the fallback message
   * @param key the object key, or null for bucket-level calls
   */
  static ToolException translate(String action, String bucket, String key, String endpoint, SdkException e) {
    if (e instanceof S3Exception s3) {
      String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
      String object = key == null ? bucket : bucket + "/" + key;
      if (code == null) {
        code = "";
      }
      return switch (code) {
        case "NoSuchBucket" -> new ToolException("bucket " + bucket + " does not exist");
        case "NoSuchKey" -> new ToolException("object " + object + " does not exist");
        case "BucketAlreadyOwnedByYou" -> new ToolException("bucket " + bucket + " already exists (and is yours)");
        case "BucketAlreadyExists" -> new ToolException("bucket name " + bucket
            + " is taken by another account: choose another name");
        case "BucketNotEmpty" -> new ToolException("bucket " + bucket + " is not empty: delete its objects first");
        case "AccessDenied", "AllAccessDisabled" -> new ToolException("access denied to " + action
            + ": the S3 credentials lack the permission for it");
        case "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken", "TokenRefreshRequired" ->
            new ToolException("the S3 endpoint rejected the credentials (" + code + "): check the access key id "
                + "and secret access key");
        case "InvalidBucketName" -> new ToolException("invalid bucket name \"" + bucket + "\" for this S3 endpoint");
        case "KeyTooLongError" -> new ToolException("object key too long for this S3 endpoint");
        case "EntityTooLarge" -> new ToolException("object " + object + " is too large for this S3 endpoint");
        case "SlowDown", "ServiceUnavailable", "InternalError" -> new ToolException("the S3 endpoint is busy or "
            + "failing (" + code + ") while trying to " + action + ": try again later");
        default -> {
          String detail = s3.awsErrorDetails() != null && s3.awsErrorDetails().errorMessage() != null
              ? s3.awsErrorDetails().errorMessage() : "no details";
          if (s3.statusCode() == 404) {
            yield new ToolException((key == null ? "bucket " : "object ") + object + " does not exist");
          }
          if (s3.statusCode() == 403) {
            yield new ToolException("access denied to " + action + " (HTTP 403)");
          }
          yield new ToolException("cannot " + action + ": " + (code.isEmpty() ? "HTTP " + s3.statusCode() : code)
              + " (" + detail + ")");
        }
      };
    }
    if (e instanceof SdkClientException) {
      return new ToolException("cannot reach the S3 endpoint " + endpoint + " to " + action + ": " + rootCause(e));
    }
    return new ToolException("cannot " + action + ": " + e.getClass().getSimpleName());
  }

  private static String rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
  }
}
