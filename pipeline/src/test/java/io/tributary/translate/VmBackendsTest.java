package io.tributary.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** VM services found by tag, and the snapshot object that carries them. */
class VmBackendsTest {
  @Test
  void servicesTaggedWithThePrefixServeTheNamedHostnames() {
    var found = VmBackends.discover(Map.of(
        "shop-vm", List.of("tributary.vm-host=Shop.example.com", "tributary.vm-host=www.shop.example.com", "http"),
        "db", List.of("primary"),
        "empty-prefix", List.of("tributary.vm-host=")), "tributary.vm-host=");
    assertThat(found).isEqualTo(Map.of("shop-vm", List.of("shop.example.com", "www.shop.example.com")));
  }

  @Test
  void theSnapshotRoundTripsAndAHostnameTwoServicesClaimGoesToTheFirstByName() {
    var snapshot = VmBackends.snapshot(Map.of("b-vm", List.of("x.example.com"), "a-vm", List.of("x.example.com", "y.example.com")));
    assertThat(snapshot.path("kind").asText()).isEqualTo(VmBackends.KIND);
    assertThat(VmBackends.byHost(snapshot)).isEqualTo(Map.of("x.example.com", "a-vm", "y.example.com", "a-vm"));
  }
}
