package io.tributary.settings;

import java.util.regex.Pattern;

/** Tells IPv4, IPv6 and hostnames apart without DNS lookups. */
public final class Addresses {
  private static final Pattern IPV4 =
      Pattern.compile("^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");
  private static final Pattern IPV6 = Pattern.compile("^[0-9a-fA-F:]*:[0-9a-fA-F:.]*$");

  private Addresses() {}

  public static boolean isIpv4(String s) {
    return IPV4.matcher(s).matches();
  }

  public static boolean isIpv6(String s) {
    return s.contains(":") && IPV6.matcher(s).matches();
  }

  public static boolean isIp(String s) {
    return isIpv4(s) || isIpv6(s);
  }

  /**
   * {@code s} (an IPv6 literal) in RFC 5952 form: lower case, no leading zeros, the longest run of
   * zero groups as {@code ::}. The DNS writer reads addresses back in this form, so a record
   * written from {@code 2001:DB8:0::1} compares equal to what the server returns. A literal Java
   * cannot parse, or an IPv4-mapped one, is only lower-cased.
   */
  public static String canonicalIpv6(String s) {
    java.net.InetAddress parsed;
    try {
      parsed = java.net.InetAddress.getByName(s); // a literal: no lookup happens
    } catch (java.net.UnknownHostException | SecurityException e) {
      return s.toLowerCase(java.util.Locale.ROOT);
    }
    if (!(parsed instanceof java.net.Inet6Address)) {
      return s.toLowerCase(java.util.Locale.ROOT);
    }
    byte[] b = parsed.getAddress();
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1; // a single zero group is never compressed
    for (int i = 0; i < 8; i++) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = Math.max(i, j);
    }
    var out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }
}
