package io.tributary.traefik;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Ownership of dynamic-configuration keys: by the owner-id prefix of the object's name. */
class TraefikOwnershipTest {

  @Test
  void onlyKeysOfObjectsNamedWithTheOwnersPrefixAreOwned() {
    String name = TraefikOwnership.name("prod", "shop-canary");
    assertThat(name).isEqualTo("prod.shop-canary");
    assertThat(TraefikOwnership.owns("prod", "traefik", "traefik/http/routers/prod.shop-canary/rule")).isTrue();
    assertThat(TraefikOwnership.owns("prod", "traefik", "traefik/http/services/prod.x/weighted/services/0/name")).isTrue();
    assertThat(TraefikOwnership.owns("prod", "traefik", "traefik/http/middlewares/prod.strip/stripPrefix/prefixes/0")).isTrue();
    // another owner, whose id starts like ours; a person's own router; other roots and sections
    assertThat(TraefikOwnership.owns("prod", "traefik", "traefik/http/routers/prod-2.shop/rule")).isFalse();
    assertThat(TraefikOwnership.owns("prod", "traefik", "traefik/http/routers/shop/rule")).isFalse();
    assertThat(TraefikOwnership.owns("prod", "traefik", "other/http/routers/prod.shop/rule")).isFalse();
    assertThat(TraefikOwnership.owns("prod", "traefik", "traefik/tcp/routers/prod.shop/rule")).isFalse();
    assertThat(TraefikOwnership.owns("prod", "traefik", "traefik/http/routers/prod./rule")).isFalse();
  }
}
