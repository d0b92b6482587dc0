package io.agentnet.runtime.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What every {@link KeyValueStore} adapter promises, run against each: the in-memory one
 * ({@link InMemoryKeyValueStoreContractTest}) and the JetStream one behind the bridge
 * ({@link BusKeyValueStoreContractTest}). The agents rely on exactly these semantics.
 */
@ExtendWith(VertxExtension.class)
abstract class KeyValueStoreContractTest {

  protected static final Duration WAIT = Duration.ofSeconds(15);
  protected Vertx vertx;
  private KeyValueStore store;

  /** A fresh, empty bucket without TTL. */
  protected abstract KeyValueStore newStore() throws Exception;

  /** A fresh, empty bucket whose entries expire {@link #ttl()} after their last write. */
  protected abstract KeyValueStore newExpiringStore() throws Exception;

  protected abstract Duration ttl();

  /** Makes the expiring bucket's TTL pass: a clock moves for the in-memory adapter, real time for JetStream. */
  protected abstract void letTtlPass();

  protected void tearDown() throws Exception {
  }

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    this.vertx = vertx;
    store = newStore();
  }

  @AfterEach
  void cleanUp() throws Exception {
    tearDown();
  }

  protected static <T> T await(Future<T> future) {
    try {
      return future.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no result within " + WAIT.toMillis() + " ms");
    }
  }

  protected static StoreException storeFailure(Future<?> future) {
    StoreException e = catchThrowableOfType(StoreException.class, () -> await(future));
    assertThat(e).as("expected a StoreException").isNotNull();
    return e;
  }

  private static JsonObject v(String status) {
    return new JsonObject().put("status", status);
  }

  @Test
  void aKeyNeverWrittenIsNull() {
    assertThat(await(store.get("w-1"))).isNull();
    assertThat(await(store.keys())).isEmpty();
    assertThat(await(store.entries())).isEmpty();
  }

  @Test
  void putThenGet() {
    long revision = await(store.put("w-1", v("pending").put("steps", new io.vertx.core.json.JsonArray().add("a"))));
    KvEntry entry = await(store.get("w-1"));
    assertThat(entry.key()).isEqualTo("w-1");
    assertThat(entry.value()).isEqualTo(v("pending").put("steps", new io.vertx.core.json.JsonArray().add("a")));
    assertThat(entry.revision()).isEqualTo(revision).isPositive();
  }

  @Test
  void revisionsIncreaseAcrossTheBucket() {
    long a = await(store.put("a", v("1")));
    long b = await(store.put("b", v("1")));
    long a2 = await(store.put("a", v("2")));
    assertThat(b).isGreaterThan(a);
    assertThat(a2).isGreaterThan(b);
    assertThat(await(store.get("a")).revision()).isEqualTo(a2);
    assertThat(await(store.get("a")).value()).isEqualTo(v("2"));
  }

  @Test
  void createOnlyWhenTheKeyHasNoValue() {
    long first = await(store.create("t-1", v("done")));
    StoreException e = storeFailure(store.create("t-1", v("failed")));
    assertThat(e.reason()).isEqualTo(StoreException.Reason.CONFLICT);
    assertThat(StoreException.isConflict(e)).isTrue();
    assertThat(e.getMessage()).contains("t-1").contains("already has a value");
    KvEntry kept = await(store.get("t-1"));
    assertThat(kept.value()).as("the first write stays").isEqualTo(v("done"));
    assertThat(kept.revision()).isEqualTo(first);
  }

  @Test
  void updateOnlyAtTheExpectedRevision() {
    long r1 = await(store.put("w-1", v("pending")));
    long r2 = await(store.update("w-1", v("running"), r1));
    assertThat(r2).isGreaterThan(r1);
    StoreException stale = storeFailure(store.update("w-1", v("cancelled"), r1));
    assertThat(stale.reason()).isEqualTo(StoreException.Reason.CONFLICT);
    assertThat(stale.getMessage()).contains("w-1 is at revision " + r2 + ", not " + r1);
    assertThat(await(store.get("w-1")).value()).isEqualTo(v("running"));
  }

  @Test
  void updateAtRevisionZeroMeansTheKeyHasNoValue() {
    long r1 = await(store.update("w-1", v("new"), 0));
    assertThat(await(store.get("w-1")).revision()).isEqualTo(r1);
    StoreException e = storeFailure(store.update("w-1", v("again"), 0));
    assertThat(e.reason()).isEqualTo(StoreException.Reason.CONFLICT);
    await(store.delete("w-1"));
    assertThat(await(store.update("w-1", v("after delete"), 0))).isGreaterThan(r1);
  }

  @Test
  void deleteRemovesTheValueAndTheKeyCanBeCreatedAgain() {
    long r1 = await(store.create("w-1", v("pending")));
    await(store.delete("w-1"));
    assertThat(await(store.get("w-1"))).isNull();
    await(store.delete("w-1"));
    await(store.delete("never-written"));
    long r2 = await(store.create("w-1", v("again")));
    assertThat(r2).isGreaterThan(r1);
    assertThat(await(store.get("w-1")).value()).isEqualTo(v("again"));
  }

  @Test
  void keysAndEntriesListWhatHasAValue() {
    long a = await(store.put("w-a", v("a")));
    await(store.put("w-b", v("b")));
    long c = await(store.put("w.c/1=x", v("c")));
    await(store.delete("w-b"));
    assertThat(await(store.keys())).containsExactlyInAnyOrder("w-a", "w.c/1=x");
    List<KvEntry> entries = await(store.entries());
    assertThat(entries).containsExactlyInAnyOrder(new KvEntry("w-a", v("a"), a), new KvEntry("w.c/1=x", v("c"), c));
  }

  @Test
  void entriesExpireTheTtlAfterTheirLastWrite() throws Exception {
    KeyValueStore expiring = newExpiringStore();
    await(expiring.create("lease", v("holder-a")));
    assertThat(storeFailure(expiring.create("lease", v("holder-b"))).reason()).isEqualTo(StoreException.Reason.CONFLICT);
    letTtlPass();
    long deadline = System.nanoTime() + ttl().plusSeconds(10).toNanos();
    while (await(expiring.get("lease")) != null) {
      assertThat(System.nanoTime()).as("the entry expires within the TTL plus 10 s").isLessThan(deadline);
      Thread.sleep(50);
    }
    assertThat(await(expiring.keys())).isEmpty();
    assertThat(await(expiring.entries())).isEmpty();
    await(expiring.create("lease", v("holder-b")));
    assertThat(await(expiring.get("lease")).value()).as("create works again once expired").isEqualTo(v("holder-b"));
  }

  @Test
  void aKeyJetStreamWouldRefuseIsInvalid() {
    for (String key : new String[] {"a b", "", "a.*", "w>", ".w", "w.", "ü"}) {
      StoreException e = storeFailure(store.put(key, v("x")));
      assertThat(e.reason()).as("key \"" + key + "\"").isEqualTo(StoreException.Reason.INVALID);
      assertThat(e.getMessage()).startsWith(store.bucket() + ": ");
    }
    assertThat(storeFailure(store.get("a b")).reason()).isEqualTo(StoreException.Reason.INVALID);
    assertThat(storeFailure(store.create("a b", v("x"))).reason()).isEqualTo(StoreException.Reason.INVALID);
    assertThat(storeFailure(store.delete("a b")).reason()).isEqualTo(StoreException.Reason.INVALID);
  }

  @Test
  void theStoredValueIsACopy() {
    JsonObject value = v("pending");
    await(store.put("w-1", value));
    value.put("status", "changed by the caller");
    KvEntry entry = await(store.get("w-1"));
    entry.value().put("status", "changed through the entry");
    assertThat(await(store.get("w-1")).value()).isEqualTo(v("pending"));
  }
}
