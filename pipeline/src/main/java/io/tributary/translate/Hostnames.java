package io.tributary.translate;

import java.util.regex.Pattern;

/**
 * Hostname rules shared by every translator: what a routable hostname is, and wildcard coverage.
 *
 * <p>A valid hostname is at most 253 characters long, has at least two labels, each label 1..63
 * characters of {@code [a-z0-9-]} not starting or ending with {@code -}. A wildcard is allowed only
 * as the whole leftmost label ({@code *.example.com}) in front of at least two labels, so that no
 * single object can claim a whole top-level domain on the shared Traefik. IP addresses are not
 * hostnames. Inputs are expected to be lower-case already.
 */
public final class Hostnames {

  /** Longest DNS name in its textual form, without the trailing dot. */
  public static final int MAX_LENGTH = 253;

  /** Longest DNS label. */
  public static final int MAX_LABEL_LENGTH = 63;

  private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
  private static final Pattern LABEL_CHARS = Pattern.compile("[a-z0-9-]+");

  private Hostnames() {}

  /** null if valid, else the reason (used by other translators too). Input already lower-cased. */
  public static String invalidReason(String host) {
    if (host == null || host.isEmpty()) {
      return "hostname is empty";
    }
    if (host.length() > MAX_LENGTH) {
      return "hostname is "
          + host.length()
          + " characters long; at most "
          + MAX_LENGTH
          + " are allowed";
    }
    return plainValid(host) ? null : ruleBroken(host); // the common case without the regexes
  }

  /** The first rule {@code host} breaks (length already checked), or null. */
  static String ruleBroken(String host) {
    // Checked before the label rules so the reason names the real mistake.
    if (IPV4.matcher(host).matches() || host.indexOf(':') >= 0) {
      return "'" + host + "' is an IP address, not a hostname";
    }
    if (host.equals("*")) {
      return "a bare '*' would match every hostname; use a leftmost wildcard such as *.example.com";
    }
    String[] labels = host.split("\\.", -1);
    boolean wildcard = labels[0].equals("*");
    int first = wildcard ? 1 : 0;
    for (int i = first; i < labels.length; i++) {
      String reason = labelReason(labels[i], i == 0);
      if (reason != null) {
        return reason;
      }
    }
    int named = labels.length - first;
    if (named < 2) {
      return wildcard
          ? "a wildcard needs at least two labels after '*.' (*.example.com, not *.com)"
          : "hostname '" + host + "' has a single label; at least two are required";
    }
    return null;
  }

  /**
   * true if `host` is covered by `pattern` where pattern may be a leftmost wildcard "*.example.com"
   * (matches exactly one extra label).
   *
   * <p>Every name covers itself, wildcards included; both inputs are expected lower-case.
   */
  public static boolean wildcardCovers(String pattern, String host) {
    if (pattern == null || host == null || pattern.isEmpty() || host.isEmpty()) {
      return false;
    }
    if (pattern.equals(host)) {
      return true;
    }
    if (!pattern.startsWith("*.")) {
      return false;
    }
    String suffix = pattern.substring(1); // ".example.com"
    if (!host.endsWith(suffix)) {
      return false;
    }
    String extra = host.substring(0, host.length() - suffix.length());
    // Exactly one label: not empty, no dot; a wildcard host is only covered by an equal pattern.
    return !extra.isEmpty() && extra.indexOf('.') < 0 && !extra.equals("*");
  }

  /**
   * True for a name that passes every rule below: two or more labels of {@code a-z 0-9 -}, none
   * empty, longer than the limit or starting or ending with '-', and not all digits and dots (that
   * may be an IP address). Anything else goes through the rules, which name the mistake.
   */
  static boolean plainValid(String host) {
    int labels = 1;
    int labelStart = 0;
    boolean letter = false;
    for (int i = 0; i <= host.length(); i++) {
      char c = i < host.length() ? host.charAt(i) : '.';
      if (c == '.') {
        int len = i - labelStart;
        if (len == 0 || len > MAX_LABEL_LENGTH || host.charAt(labelStart) == '-' || host.charAt(i - 1) == '-') {
          return false;
        }
        if (i < host.length()) {
          labels++;
        }
        labelStart = i + 1;
      } else if (c >= 'a' && c <= 'z') {
        letter = true;
      } else if (!(c >= '0' && c <= '9') && c != '-') {
        return false;
      }
    }
    return letter && labels >= 2;
  }

  private static String labelReason(String label, boolean leftmost) {
    if (label.isEmpty()) {
      return "hostname has an empty label (a leading, trailing or doubled dot)";
    }
    if (label.indexOf('*') >= 0) {
      return leftmost
          ? "label '"
              + label
              + "': a wildcard must be the whole leftmost label ('*.'), not part of"
              + " one"
          : "label '" + label + "': a wildcard is only allowed as the whole leftmost label";
    }
    if (label.length() > MAX_LABEL_LENGTH) {
      return "label '"
          + label
          + "' is "
          + label.length()
          + " characters long; at most "
          + MAX_LABEL_LENGTH
          + " are allowed";
    }
    if (!LABEL_CHARS.matcher(label).matches()) {
      return "label '" + label + "' has characters outside a-z 0-9 -";
    }
    if (label.startsWith("-") || label.endsWith("-")) {
      return "label '" + label + "' starts or ends with '-'";
    }
    return null;
  }
}
