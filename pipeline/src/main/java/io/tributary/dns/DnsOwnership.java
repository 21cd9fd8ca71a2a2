package io.tributary.dns;

import io.tributary.settings.DnsSettings.TxtFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The TXT registry that marks a DNS record set as Tributary's. Pure: names and texts of the TXT
 * companion of a record set, and what a TXT found in a zone says about ownership.
 *
 * <p>Tributary's own format puts the companion at {@code _tributary-<type>.<name>} (a CNAME owner
 * cannot hold a TXT, so never at the name itself) with one string per fact: {@code
 * heritage=tributary}, {@code tributary/owner=<id>} and {@code tributary/source=<object>} per
 * source object (long ones continue in {@code tributary/source+=} strings, as a TXT string holds at
 * most 255 bytes), so what is read back equals what was written. The external-dns format is
 * external-dns's registry: {@code <type>-<name>} TXT {@code
 * heritage=external-dns,external-dns/owner=<id>,external-dns/resource=<object>}, one resource only.
 */
public final class DnsOwnership {
  private static final int CHUNK = 200;
  private static final String HERITAGE = "heritage=tributary";
  private static final String OWNER = "tributary/owner=";
  private static final String SOURCE = "tributary/source=";
  private static final String SOURCE_MORE = "tributary/source+=";
  private static final String EXTERNAL_HERITAGE = "heritage=external-dns";

  private DnsOwnership() {}

  /** What a TXT says: whose it is, in which format, and the objects behind the record set. */
  public record Claim(TxtFormat format, String owner, List<String> sources) {
    public Claim {
      sources = List.copyOf(sources);
    }
  }

  /** Where the companion TXT of {@code name}'s {@code type} record set lives in {@code format}. */
  public static String companionName(String name, String type, TxtFormat format) {
    String t = type.toLowerCase(Locale.ROOT);
    return format == TxtFormat.TRIBUTARY ? "_tributary-" + t + "." + name : t + "-" + name;
  }

  /** The companion's TXT strings for {@code record} in {@code format}. */
  public static List<String> companionText(DnsRecordSet record, TxtFormat format) {
    if (format == TxtFormat.EXTERNAL_DNS) {
      String resource = record.sources().isEmpty() ? "" : ",external-dns/resource=" + record.sources().get(0);
      return List.of(EXTERNAL_HERITAGE + ",external-dns/owner=" + record.owner() + resource);
    }
    List<String> out = new ArrayList<>();
    out.add(HERITAGE);
    out.add(OWNER + record.owner());
    for (String s : record.sources()) {
      out.add(SOURCE + s.substring(0, Math.min(CHUNK, s.length())));
      for (int i = CHUNK; i < s.length(); i += CHUNK) {
        out.add(SOURCE_MORE + s.substring(i, Math.min(i + CHUNK, s.length())));
      }
    }
    return out;
  }

  /**
   * The record as {@code format} can store it: external-dns's TXT names one resource, so only the
   * first source object survives a round trip through the zone. The writer compares what it wants
   * with what it reads in this form, or it would rewrite the same record set forever.
   */
  public static DnsRecordSet storable(DnsRecordSet record, TxtFormat format) {
    if (format == TxtFormat.EXTERNAL_DNS && record.sources().size() > 1) {
      return new DnsRecordSet(record.name(), record.type(), record.ttlSeconds(), record.values(), record.owner(),
          List.of(record.sources().get(0)));
    }
    return record;
  }

  /** The claim a TXT's strings make, or null if they are no ownership record of either format. */
  public static Claim parse(List<String> strings) {
    if (strings.size() >= 2 && strings.get(0).equals(HERITAGE) && strings.get(1).startsWith(OWNER)) {
      List<String> sources = new ArrayList<>();
      for (String s : strings.subList(2, strings.size())) {
        if (s.startsWith(SOURCE)) {
          sources.add(s.substring(SOURCE.length()));
        } else if (s.startsWith(SOURCE_MORE) && !sources.isEmpty()) {
          sources.set(sources.size() - 1, sources.get(sources.size() - 1) + s.substring(SOURCE_MORE.length()));
        }
      }
      return new Claim(TxtFormat.TRIBUTARY, strings.get(1).substring(OWNER.length()), sources);
    }
    String joined = String.join("", strings);
    if (joined.startsWith(EXTERNAL_HERITAGE + ",") || joined.equals(EXTERNAL_HERITAGE)) {
      String owner = "";
      List<String> sources = new ArrayList<>();
      for (String part : joined.split(",")) {
        if (part.startsWith("external-dns/owner=")) {
          owner = part.substring("external-dns/owner=".length());
        } else if (part.startsWith("external-dns/resource=")) {
          sources.add(part.substring("external-dns/resource=".length()));
        }
      }
      return new Claim(TxtFormat.EXTERNAL_DNS, owner, sources);
    }
    return null;
  }
}
