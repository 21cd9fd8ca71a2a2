package io.tributary.target;

/**
 * One record in a target (a Consul service instance, a DNS record set, a Traefik config entry).
 * Implementations are immutable records whose {@code equals} decides whether a write is needed.
 */
public interface TargetRecord {

  /** Which target this record belongs to. */
  Target target();

  /** Unique within the target; the unit of diffing and of writes. */
  String key();

  /**
   * Records of one group are written in one batch and held back together: a DNS name's record sets,
   * because a name holds a CNAME or addresses, so a change of type removes one set and adds another.
   * By default every record is a group of its own.
   */
  default String group() {
    return key();
  }

  /**
   * Where this record stands in the order of writes: within creates and updates lower ranks are
   * written first, within deletes higher ranks first. Records that refer to others rank above them
   * (a Traefik router above the services and middlewares it names), so no state between two batches
   * holds a reference to something absent. By default every record ranks 0: the order is the key's.
   */
  default int writeRank() {
    return 0;
  }
}
