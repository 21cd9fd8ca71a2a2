package io.tributary.plan;

import static io.tributary.plan.PlanFixtures.key;
import static io.tributary.plan.PlanFixtures.route;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The route index: what a replacement affects, and the lookups planning makes. */
class RouteIndexTest {
  private final RouteIndex index = new RouteIndex();

  @Test
  void aReplacementAffectsTheGroupsAndHostsOfTheOldAndTheNewRoutes() {
    var web = key("eu-1", "web");
    var first = index.replace(web, List.of(route(web, "a.example.com", "/")));
    assertThat(first.hosts()).containsExactly("a.example.com");
    assertThat(first.groups()).hasSize(1);

    var moved = index.replace(web, List.of(route(web, "b.example.com", "/")));
    assertThat(moved.hosts()).containsExactly("a.example.com", "b.example.com");
    assertThat(moved.groups()).hasSize(2);
    assertThat(index.forHost("a.example.com")).isEmpty();
    assertThat(index.forHost("b.example.com")).extracting(r -> r.source()).containsExactly(web);
  }

  @Test
  void theSameRoutesAgainAffectNothing() {
    var web = key("eu-1", "web");
    index.replace(web, List.of(route(web, "a.example.com", "/")));
    assertThat(index.replace(web, List.of(route(web, "a.example.com", "/"))).isEmpty()).isTrue();
  }

  @Test
  void groupsAndHostsAreFoundPerClusterAndInObjectOrder() {
    var a = key("eu-1", "a");
    var b = key("eu-2", "b");
    index.replace(b, List.of(route(b, "shop.example.com", "/")));
    index.replace(a, List.of(route(a, "shop.example.com", "/"), route(a, "api.example.com", "/")));
    String group = index.routesOf(a).get(0).groupKey();
    assertThat(index.inGroup(group)).extracting(r -> r.source()).containsExactly(a, b);
    assertThat(index.ofCluster("eu-2").hosts()).containsExactly("shop.example.com");
    assertThat(index.ofCluster("eu-1").hosts()).containsExactly("api.example.com", "shop.example.com");
    assertThat(index.ofCluster(null).isEmpty()).isTrue();

    index.replace(a, List.of());
    assertThat(index.routesOf(a)).isEmpty();
    assertThat(index.inGroup(group)).extracting(r -> r.source()).containsExactly(b);
  }
}
