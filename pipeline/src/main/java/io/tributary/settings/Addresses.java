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
}
