package io.tributary.consul;

import io.tributary.target.Target;
import io.tributary.target.TargetRecord;
import java.util.List;
import java.util.Map;

/**
 * One Consul catalog service instance Tributary wants registered: the shape of a
 * {@code /v1/catalog/register} body, reduced to what Tributary sets.
 *
 * @param node synthetic node of the instance's cluster ({@code tributary-<cluster>})
 * @param serviceId stable ID derived from service, cluster and endpoint
 * @param service Consul service name shared by every instance of one route group
 * @param tags Traefik Consul Catalog tags, sorted
 * @param meta owner, cluster, namespace, kind, name of the declaring object, sorted by key
 */
public record ConsulRegistration(
    String node,
    String serviceId,
    String service,
    String address,
    int port,
    List<String> tags,
    Map<String, String> meta)
    implements TargetRecord {

  public ConsulRegistration {
    tags = List.copyOf(tags);
    meta = Map.copyOf(meta);
  }

  @Override
  public Target target() {
    return Target.CONSUL;
  }

  /** {@code node/serviceId}: unique across the catalog. */
  @Override
  public String key() {
    return node + "/" + serviceId;
  }
}
