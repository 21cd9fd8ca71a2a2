package io.tributary.dns;

import java.util.List;

/**
 * The desired record sets of one hostname, sorted by key; {@code skipped} says why a hostname
 * gets none (null otherwise); {@code notes} are what the planner left out and why.
 */
public record DnsPlan(List<DnsRecordSet> records, List<String> notes, String skipped) {
  public DnsPlan {
    records = List.copyOf(records);
    notes = List.copyOf(notes);
  }
}
