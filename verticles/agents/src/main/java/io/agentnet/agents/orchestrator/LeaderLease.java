package io.agentnet.agents.orchestrator;

import io.agentnet.runtime.store.KeyValueStore;
import io.agentnet.runtime.store.KvEntry;
import io.agentnet.runtime.store.StoreException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Leader election on a lease in a bucket whose entries expire a TTL after their last write
 * (JetStream KV with a bucket max age; the in-memory adapter does the same). The leader renews
 * every TTL/3 with a compare-and-set update; a standby tries to create the key, which succeeds
 * only once the leader's lease has expired. A leader that cannot renew for a whole TTL steps down
 * by itself, so two never act at once for longer than the store's own clock allows.
 */
public final class LeaderLease {

  public static final String KEY = "orchestrator";

  private final KeyValueStore leases;
  private final String holder;
  private final Duration ttl;
  private final Supplier<Instant> clock;
  private boolean leader;
  private long revision;
  private Instant lastRenewed = Instant.EPOCH;

  public LeaderLease(KeyValueStore leases, String holder, Duration ttl, Supplier<Instant> clock) {
    this.leases = leases;
    this.holder = holder;
    this.ttl = ttl;
    this.clock = clock;
  }

  /** How often {@link #tick()} should run. */
  public Duration renewEvery() {
    return ttl.dividedBy(3);
  }

  public boolean leader() {
    return leader;
  }

  /** Renews or tries to acquire; the future tells whether this holder leads afterwards. */
  public Future<Boolean> tick() {
    Instant now = clock.get();
    JsonObject value = new JsonObject().put("holder", holder).put("renewed_at", now.toString());
    if (leader) {
      return leases.update(KEY, value, revision).map(rev -> {
        revision = rev;
        lastRenewed = now;
        return true;
      }).recover(e -> {
        if (StoreException.isConflict(e) || Duration.between(lastRenewed, now).compareTo(ttl) >= 0) {
          leader = false;
        }
        return Future.succeededFuture(leader);
      });
    }
    return leases.create(KEY, value).map(rev -> {
      revision = rev;
      lastRenewed = now;
      leader = true;
      return true;
    }).recover(e -> Future.succeededFuture(false));
  }

  /** The current holder, for status and logs (null when nobody holds it). */
  public Future<String> holder() {
    return leases.get(KEY).map(e -> e == null ? null : e.value().getString("holder"));
  }

  /** Gives the lease up at once (graceful stop), so a standby need not wait for it to expire. */
  public Future<Void> release() {
    if (!leader) {
      return Future.succeededFuture();
    }
    leader = false;
    return leases.get(KEY).compose((KvEntry e) -> e != null && holder.equals(e.value().getString("holder"))
        ? leases.delete(KEY) : Future.succeededFuture());
  }
}
