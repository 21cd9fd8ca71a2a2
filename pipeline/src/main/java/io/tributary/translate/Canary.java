package io.tributary.translate;

/**
 * An ingress-nginx canary Ingress ({@code nginx.ingress.kubernetes.io/canary: "true"}): the share of
 * its primary's requests it takes. It routes the same host and path as its primary Ingress and
 * joins that route group; the cluster's controller splits the requests.
 *
 * @param weight {@code canary-weight}, 0..{@code total}
 * @param total {@code canary-weight-total}, default 100
 * @param header {@code canary-by-header}, or null: {@code always} sends a request to the canary,
 *     {@code never} to the primary
 * @param headerValue {@code canary-by-header-value}: this value (instead of {@code always}) selects
 *     the canary, or null
 * @param headerPattern {@code canary-by-header-pattern}: a regex on the header's value, or null
 */
public record Canary(int weight, int total, String header, String headerValue, String headerPattern) {

  /** How notes show the split with the primary, e.g. {@code weighted web:80 80%, web-v2:80 20%}. */
  public String split(String primary, String canary) {
    String weighted = "weighted " + primary + " " + percent(total - weight) + "%, " + canary + " " + percent(weight) + "%";
    if (header == null) {
      return weighted;
    }
    String match = headerValue != null ? header + ": " + headerValue
        : headerPattern != null ? header + " ~ " + headerPattern : header + ": always";
    return "header " + match + " → " + canary + " (" + header + ": never → " + primary + "), else " + weighted;
  }

  private String percent(int share) {
    return total == 0 ? "0" : java.math.BigDecimal.valueOf(100L * share)
        .divide(java.math.BigDecimal.valueOf(total), 1, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
  }
}
