package io.agentnet.mcp.cloud.local;

import io.agentnet.mcp.cloud.BucketNames;
import io.agentnet.mcp.cloud.ObjectKeys;
import io.agentnet.mcp.cloud.ObjectStorage;
import io.agentnet.runtime.mcp.ToolException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Object storage in a local directory, so the cloud server works with nothing installed: each
 * bucket is a directory under the data dir, each object a file at its key's path (a key
 * {@code a/b.txt} is the file {@code <bucket>/a/b.txt}). Content type and ETag live in
 * {@code .meta/<bucket>/<key>}; writes go to {@code .staging} first and are renamed into place,
 * so a reader never sees half an object. Names starting with a dot are never buckets.
 *
 * <p>Keys are checked so nothing escapes the bucket: no {@code .} or {@code ..} segments, no
 * absolute keys, no backslashes, no empty segments, no null bytes. Because keys are paths, one key
 * cannot be both an object and a "folder" of another ({@code a} and {@code a/b}); that is a clear
 * error here though S3 allows it.
 */
public final class LocalObjectStorage implements ObjectStorage {

  private static final String META_DIR = ".meta";
  private static final String STAGING_DIR = ".staging";
  private static final int MAX_SEGMENT_BYTES = 255;

  private final Path root;
  private final Path metaRoot;
  private final Path staging;

  /** Uses (and creates when missing) {@code dataDir}. */
  public LocalObjectStorage(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
      this.root = dataDir.toRealPath();
      this.metaRoot = root.resolve(META_DIR);
      this.staging = root.resolve(STAGING_DIR);
      Files.createDirectories(metaRoot);
      Files.createDirectories(staging);
    } catch (IOException e) {
      throw new UncheckedIOException("object data dir " + dataDir + " cannot be created or read ("
          + e.getClass().getSimpleName() + ")", e);
    }
  }

  @Override
  public String providerName() {
    return "local";
  }

  /** The directory that holds the buckets. */
  public Path root() {
    return root;
  }

  @Override
  public List<Bucket> listBuckets() {
    try (Stream<Path> entries = Files.list(root)) {
      return entries
          .filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
          .filter(p -> BucketNames.isValid(p.getFileName().toString()))
          .sorted()
          .map(p -> new Bucket(p.getFileName().toString(), creationTime(p)))
          .toList();
    } catch (IOException e) {
      throw failure("list buckets", e);
    }
  }

  @Override
  public synchronized void createBucket(String bucket) {
    BucketNames.validate(bucket);
    try {
      Files.createDirectory(root.resolve(bucket));
    } catch (FileAlreadyExistsException e) {
      throw new ToolException("bucket " + bucket + " already exists");
    } catch (IOException e) {
      throw failure("create bucket " + bucket, e);
    }
  }

  @Override
  public synchronized void deleteBucket(String bucket) {
    Path dir = bucketDir(bucket);
    try {
      try (Stream<Path> all = Files.walk(dir)) {
        if (all.anyMatch(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))) {
          throw new ToolException("bucket " + bucket + " is not empty: delete its objects first");
        }
      }
      deleteTree(dir);
      deleteTree(metaRoot.resolve(bucket));
    } catch (IOException e) {
      throw failure("delete bucket " + bucket, e);
    }
  }

  @Override
  public ObjectListing listObjects(String bucket, String prefix, int maxKeys, String continuationToken) {
    Path dir = bucketDir(bucket);
    String startAfter = continuationToken == null ? null : decodeToken(continuationToken);
    List<String> keys;
    try (Stream<Path> all = Files.walk(dir)) {
      keys = all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .map(p -> toKey(dir, p))
          .filter(k -> prefix == null || k.startsWith(prefix))
          .filter(k -> startAfter == null || k.compareTo(startAfter) > 0)
          .sorted()
          .toList();
    } catch (IOException | UncheckedIOException e) {
      throw failure("list bucket " + bucket, e instanceof UncheckedIOException u ? u.getCause() : (IOException) e);
    }
    boolean truncated = keys.size() > maxKeys;
    List<String> page = truncated ? keys.subList(0, maxKeys) : keys;
    List<ObjectSummary> objects = new ArrayList<>(page.size());
    for (String key : page) {
      Path file = dir.resolve(key);
      try {
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        objects.add(new ObjectSummary(key, attrs.size(), attrs.lastModifiedTime().toInstant(),
            readMeta(bucket, key).getString("etag")));
      } catch (NoSuchFileException e) {
        // Deleted since the walk: it is simply not in this page.
      } catch (IOException e) {
        throw failure("list bucket " + bucket, e);
      }
    }
    String next = truncated ? encodeToken(page.get(page.size() - 1)) : null;
    return new ObjectListing(objects, truncated, next);
  }

  @Override
  public StoredObject getObject(String bucket, String key, long maxBytes) {
    Path file = objectPath(bucket, key);
    try {
      BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!attrs.isRegularFile()) {
        throw noSuchKey(bucket, key);
      }
      if (attrs.size() > maxBytes) {
        throw new ToolException("object " + bucket + "/" + key + " is " + attrs.size() + " bytes, over the limit of "
            + maxBytes + " bytes a call may return");
      }
      byte[] content = Files.readAllBytes(file);
      JsonObject meta = readMeta(bucket, key);
      String contentType = meta.getString("content_type", guessContentType(key));
      String etag = meta.getString("etag", md5Hex(content));
      return new StoredObject(content, contentType, attrs.lastModifiedTime().toInstant(), etag);
    } catch (NoSuchFileException e) {
      throw noSuchKey(bucket, key);
    } catch (IOException e) {
      throw failure("read " + bucket + "/" + key, e);
    }
  }

  @Override
  public synchronized String putObject(String bucket, String key, byte[] content, String contentType) {
    Path file = objectPath(bucket, key);
    Path metaFile = metaRoot.resolve(bucket).resolve(key);
    String etag = md5Hex(content);
    try {
      if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
        throw keyConflict(bucket, key, "other keys start with " + key + "/");
      }
      createParents(bucket, key, file);
      createParents(bucket, key, metaFile);
      byte[] meta = new JsonObject().put("content_type", contentType).put("etag", etag).encode()
          .getBytes(StandardCharsets.UTF_8);
      writeAtomically(metaFile, meta);
      writeAtomically(file, content);
      return etag;
    } catch (IOException e) {
      throw failure("write " + bucket + "/" + key, e);
    }
  }

  @Override
  public synchronized void deleteObject(String bucket, String key) {
    Path dir = bucketDir(bucket);
    Path file = objectPath(bucket, key);
    try {
      if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
        return; // a "folder", not an object: nothing to delete, as on S3
      }
      Files.deleteIfExists(file);
      Path metaFile = metaRoot.resolve(bucket).resolve(key);
      if (!Files.isDirectory(metaFile, LinkOption.NOFOLLOW_LINKS)) {
        Files.deleteIfExists(metaFile);
      }
      pruneEmptyParents(file.getParent(), dir);
      pruneEmptyParents(metaFile.getParent(), metaRoot.resolve(bucket));
    } catch (IOException e) {
      throw failure("delete " + bucket + "/" + key, e);
    }
  }

  @Override
  public String presignUrl(String bucket, String key, PresignMethod method, Duration expiry) {
    throw new ToolException("presign_url needs the S3 provider: local buckets have no URL to sign "
        + "(set CLOUD_OBJECT_STORAGE=s3 and CLOUD_S3_ENDPOINT to use an S3 API)");
  }

  /**
   * Checks a key for the local provider: besides the shared S3 limits, it must be a relative path
   * of non-empty segments other than . and .., without backslashes, each at most 255 bytes.
   */
  public static String validateKey(String key) {
    ObjectKeys.validate(key);
    if (key.startsWith("/")) {
      throw new ToolException("invalid object key \"" + key + "\": it must not start with /");
    }
    if (key.indexOf('\\') >= 0) {
      throw new ToolException("invalid object key \"" + key + "\": backslashes are not allowed by the local provider");
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty()) {
        throw new ToolException("invalid object key \"" + key + "\": empty path segment (a trailing / or //)");
      }
      if (segment.equals(".") || segment.equals("..")) {
        throw new ToolException("invalid object key \"" + key + "\": . and .. segments are not allowed");
      }
      if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
        throw new ToolException("invalid object key \"" + key + "\": a segment between slashes is longer than "
            + MAX_SEGMENT_BYTES + " bytes");
      }
    }
    return key;
  }

  private Path bucketDir(String bucket) {
    BucketNames.validate(bucket);
    Path dir = root.resolve(bucket);
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new ToolException("bucket " + bucket + " does not exist");
    }
    return dir;
  }

  private Path objectPath(String bucket, String key) {
    validateKey(key);
    Path dir = bucketDir(bucket);
    Path file = dir.resolve(key).normalize();
    // Belt and braces after the segment checks: the path must stay inside the bucket.
    if (!file.startsWith(dir) || file.equals(dir)) {
      throw new ToolException("invalid object key \"" + key + "\": it leads outside the bucket");
    }
    return file;
  }

  private void createParents(String bucket, String key, Path file) throws IOException {
    Path parent = file.getParent();
    try {
      Files.createDirectories(parent);
    } catch (FileAlreadyExistsException e) {
      throw keyConflict(bucket, key, "a shorter key is already an object");
    }
    // A symbolic link planted in the tree must not carry a write out of the data dir.
    if (!parent.toRealPath().startsWith(root)) {
      throw new ToolException("invalid object key \"" + key + "\": it leads outside the data dir");
    }
  }

  private void writeAtomically(Path target, byte[] content) throws IOException {
    Path temp = Files.createTempFile(staging, "put-", ".tmp");
    try {
      Files.write(temp, content);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private JsonObject readMeta(String bucket, String key) {
    Path metaFile = metaRoot.resolve(bucket).resolve(key);
    try {
      return new JsonObject(Files.readString(metaFile));
    } catch (NoSuchFileException | DecodeException e) {
      return new JsonObject(); // object put there by hand: guess instead
    } catch (IOException e) {
      return new JsonObject();
    }
  }

  private static void pruneEmptyParents(Path from, Path stopAt) throws IOException {
    Path dir = from;
    while (dir != null && dir.startsWith(stopAt) && !dir.equals(stopAt)) {
      try {
        Files.delete(dir);
      } catch (DirectoryNotEmptyException | NoSuchFileException e) {
        return;
      }
      dir = dir.getParent();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static String toKey(Path bucketDir, Path file) {
    StringBuilder key = new StringBuilder();
    for (Path part : bucketDir.relativize(file)) {
      if (key.length() > 0) {
        key.append('/');
      }
      key.append(part);
    }
    return key.toString();
  }

  private static String encodeToken(String lastKey) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(lastKey.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeToken(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ToolException("invalid continuation_token: pass back the next_continuation_token of a listing");
    }
  }

  private static Instant creationTime(Path dir) {
    try {
      return Files.readAttributes(dir, BasicFileAttributes.class).creationTime().toInstant();
    } catch (IOException e) {
      return null;
    }
  }

  private static String guessContentType(String key) {
    String guess = URLConnection.guessContentTypeFromName(key);
    return guess != null ? guess : "application/octet-stream";
  }

  static String md5Hex(byte[] content) {
    try {
      // MD5 because that is what S3 reports as the ETag of a single-part upload.
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no MD5", e);
    }
  }

  private static ToolException noSuchKey(String bucket, String key) {
    return new ToolException("object " + bucket + "/" + key + " does not exist");
  }

  private static ToolException keyConflict(String bucket, String key, String why) {
    return new ToolException("key " + key + " cannot be stored in bucket " + bucket + ": " + why
        + " (the local provider stores keys as paths, so a key cannot be both an object and a prefix ending in /)");
  }

  private static ToolException failure(String what, IOException e) {
    String detail = e instanceof FileSystemException fse && fse.getReason() != null
        ? fse.getReason() : e.getClass().getSimpleName();
    return new ToolException("cannot " + what + ": " + detail);
  }
}
