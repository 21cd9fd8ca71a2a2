package io.tributary.dns;

import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import java.util.List;

/**
 * One DNS record set (name + type) Tributary wants in a zone.
 *
 * @param name fully qualified hostname without trailing dot, lower case
 * @param type A, AAAA or CNAME
 * @param values sorted record data (addresses, or the one CNAME target)
 * @param owner owner id; the DNS writer turns it into the TXT ownership record
 * @param sources the objects that declared the name, sorted ({@code cluster/kind/ns/name})
 */
public record DnsRecordSet(
    String name, String type, long ttlSeconds, List<String> values, String owner, List<String> sources)
    implements TargetRecord {

  public DnsRecordSet {
    values = List.copyOf(values);
    sources = List.copyOf(sources);
  }

  @Override
  public Target target() {
    return Target.DNS;
  }

  /** {@code name/type}. */
  @Override
  public String key() {
    return name + "/" + type;
  }

  /** The name: its record sets change together (a CNAME replaced by addresses, or back). */
  @Override
  public String group() {
    return name;
  }
}
