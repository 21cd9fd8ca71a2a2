package io.tributary.dns;

import io.tributary.target.Change;
import io.tributary.target.TargetRecord;
import io.tributary.settings.Addresses;
import io.tributary.settings.DnsSettings;
import io.tributary.settings.DnsSettings.TxtFormat;
import io.tributary.settings.DnsZoneSettings;
import io.tributary.writer.TargetClient;
import io.tributary.writer.TargetConfigurationException;
import io.tributary.writer.TargetUnavailableException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;
import org.xbill.DNS.ZoneTransferException;
import org.xbill.DNS.ZoneTransferIn;

/**
 * One DNS zone spoken to over RFC 2136 (UPDATE over TCP, signed with TSIG) and read with a signed
 * AXFR. Works with any primary that implements the RFCs (BIND, PowerDNS, Knot, Windows DNS).
 *
 * <p>Every change carries prerequisites, so a record set someone else created or changed since it
 * was last read makes the UPDATE fail instead of being overwritten: creates require the record set
 * (and, for a CNAME, the whole name) to be absent, updates and deletes require exactly the values
 * and ownership TXT the writer believes are there. An UPDATE whose prerequisites fail is split
 * until the refused changes are isolated; each is then checked with one query (it may already hold
 * the wanted state, written by an attempt whose answer was lost) and otherwise reported as a
 * conflict with what holds the name. A response is accepted only with {@code NOERROR} and a
 * verified TSIG: dnsjava merely logs a failed verification.
 *
 * <p>Calls block, so they run on {@code blocking}; the writer makes one call at a time.
 */
public final class DnsZoneClient implements TargetClient {
  private static final Set<String> TYPES = Set.of("A", "AAAA", "CNAME");
  private static final String OWN = "owned by this instance";

  private final DnsZoneSettings zone;
  private final DnsSettings dns;
  private final String ownerId;
  private final Executor blocking;
  private final Name origin;
  /** The ownership TXT records each owned record set had when last read or written, by key. */
  private final Map<String, List<Record>> companions = new ConcurrentHashMap<>();

  /** A client for {@code zone} writing as {@code ownerId}. */
  public DnsZoneClient(DnsZoneSettings zone, DnsSettings dns, String ownerId, Executor blocking) {
    this.zone = zone;
    this.dns = dns;
    this.ownerId = ownerId;
    this.blocking = blocking;
    this.origin = name(zone.name());
  }

  @Override
  public CompletionStage<Map<String, TargetRecord>> readOwned() {
    return CompletableFuture.supplyAsync(this::transfer, blocking);
  }

  @Override
  public CompletionStage<WriteOutcome> write(List<Change> changes) {
    return CompletableFuture.supplyAsync(() -> writeAll(changes), blocking);
  }

  @Override
  public int maxBatch() {
    return dns.maxRecordsPerUpdate();
  }

  @Override
  public String describe() {
    return "DNS zone " + zone;
  }

  // ---- reading

  private Map<String, TargetRecord> transfer() {
    List<Record> records;
    try {
      ZoneTransferIn xfr = ZoneTransferIn.newAXFR(origin, zone.host(), zone.port(), tsig());
      xfr.setTimeout(dns.timeout());
      xfr.run();
      records = xfr.getAXFR();
    } catch (ZoneTransferException e) {
      // the server's refusal (NOTAUTH, REFUSED, NOTZONE) or a TSIG that did not verify
      throw new TargetConfigurationException("zone transfer of " + zone + " refused: " + e.getMessage()
          + " (check the TSIG key and that the server allows transfers to it)");
    } catch (IOException e) {
      throw new TargetUnavailableException("zone transfer of " + zone + " failed: " + describe(e), e);
    }
    // name → type → records, for A/AAAA/CNAME and TXT
    Map<String, Map<String, List<Record>>> byName = new HashMap<>();
    for (Record r : records) {
      String type = Type.string(r.getType());
      if (TYPES.contains(type) || r.getType() == Type.TXT) {
        byName.computeIfAbsent(text(r.getName()), n -> new HashMap<>()).computeIfAbsent(type, t -> new ArrayList<>()).add(r);
      }
    }
    Map<String, TargetRecord> owned = new TreeMap<>();
    Map<String, List<Record>> found = new HashMap<>();
    Map<String, DnsOwnership.Claim> claims = new HashMap<>();
    byName.forEach((txtName, types) -> {
      for (Record r : types.getOrDefault("TXT", List.of())) {
        DnsOwnership.Claim claim = DnsOwnership.parse(((TXTRecord) r).getStrings());
        if (claim == null || !adopted(claim)) {
          continue;
        }
        for (String key : keysMarkedBy(txtName, claim.format(), byName)) {
          found.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
          claims.putIfAbsent(key, claim);
        }
      }
    });
    found.forEach((key, txts) -> {
      String recordName = key.substring(0, key.lastIndexOf('/'));
      String type = key.substring(key.lastIndexOf('/') + 1);
      List<Record> rrset = byName.getOrDefault(recordName, Map.of()).getOrDefault(type, List.of());
      DnsOwnership.Claim claim = claims.get(key);
      // a claim in another format (or external-dns's, being taken over) reads as another owner, so
      // the writer rewrites the record set with this owner's TXT
      String owner = claim.owner().equals(ownerId) && claim.format() == dns.txtFormat()
          ? ownerId : claim.format().name().toLowerCase(Locale.ROOT) + ":" + claim.owner();
      long ttl = rrset.isEmpty() ? txts.get(0).getTTL() : rrset.get(0).getTTL();
      List<String> values = rrset.stream().map(DnsZoneClient::value).sorted().distinct().toList();
      owned.put(key, new DnsRecordSet(recordName, type, ttl, values, owner, claim.sources()));
      companions.put(key, List.copyOf(txts));
    });
    companions.keySet().retainAll(owned.keySet());
    return owned;
  }

  /** True if a TXT with {@code claim} marks a record set as this owner's. */
  private boolean adopted(DnsOwnership.Claim claim) {
    return claim.owner().equals(ownerId)
        || (!dns.takeoverOwner().isEmpty() && claim.format() == TxtFormat.EXTERNAL_DNS
            && claim.owner().equals(dns.takeoverOwner()));
  }

  /** The record sets ({@code name/type}) a claiming TXT at {@code txtName} marks. */
  private static List<String> keysMarkedBy(String txtName, TxtFormat format, Map<String, Map<String, List<Record>>> byName) {
    List<String> keys = new ArrayList<>();
    for (String type : TYPES) {
      String prefix = format == TxtFormat.TRIBUTARY ? "_tributary-" + type.toLowerCase(Locale.ROOT) + "." : type.toLowerCase(Locale.ROOT) + "-";
      if (txtName.startsWith(prefix)) {
        keys.add(txtName.substring(prefix.length()) + "/" + type);
      }
    }
    if (keys.isEmpty() && format == TxtFormat.EXTERNAL_DNS) {
      // external-dns's older registry: the TXT sits at the record's own name
      byName.getOrDefault(txtName, Map.of()).keySet().stream().filter(TYPES::contains).forEach(t -> keys.add(txtName + "/" + t));
    }
    return keys;
  }

  // ---- writing

  private WriteOutcome writeAll(List<Change> changes) {
    Map<String, String> conflicts = new LinkedHashMap<>();
    apply(byName(changes), tsig(), conflicts);
    return new WriteOutcome(conflicts);
  }

  /** The batch's changes per name, in the batch's order: a name's changes go in one message. */
  private static List<List<Change>> byName(List<Change> changes) {
    Map<String, List<Change>> names = new LinkedHashMap<>();
    changes.forEach(c -> names.computeIfAbsent(recordOf(c).name(), n -> new ArrayList<>()).add(c));
    return List.copyOf(names.values());
  }

  private void apply(List<List<Change>> names, TSIG key, Map<String, String> conflicts) {
    if (names.isEmpty()) {
      return;
    }
    List<Change> batch = names.stream().flatMap(List::stream).toList();
    Message response = send(update(batch), key, "UPDATE of " + batch.size() + " record sets");
    int rcode = response.getRcode();
    if (rcode == Rcode.NOERROR) {
      for (Change c : batch) {
        String ignored = replacedAndIgnored(c, batch, key);
        if (ignored == null) {
          remember(c);
        } else {
          conflicts.put(c.key(), ignored);
        }
      }
      return;
    }
    if (rcode == Rcode.YXDOMAIN || rcode == Rcode.YXRRSET || rcode == Rcode.NXRRSET || rcode == Rcode.NXDOMAIN) {
      if (names.size() > 1) {
        apply(names.subList(0, names.size() / 2), key, conflicts);
        apply(names.subList(names.size() / 2, names.size()), key, conflicts);
      } else if (batch.size() > 1) {
        // one name's changes refused together: each alone, with its full prerequisites, finds the culprit
        batch.forEach(c -> apply(List.of(List.of(c)), key, conflicts));
      } else {
        Change c = batch.get(0);
        String reason = conflict(c, key);
        if (reason == null) {
          remember(c); // already as wanted: an earlier attempt whose answer was lost
        } else {
          conflicts.put(c.key(), reason);
        }
      }
      return;
    }
    throw failure(response, "UPDATE");
  }

  /**
   * The types of the record sets {@code batch} removes whole at {@code name}: a create of a type
   * they exclude (a CNAME and addresses) is then a change of type, written in the same message.
   */
  private static Set<String> deletedAt(String name, List<Change> batch) {
    Set<String> types = new HashSet<>();
    for (Change c : batch) {
      if (c.value() == null && c.previous() != null && recordOf(c).name().equals(name)) {
        types.add(recordOf(c).type());
      }
    }
    return types;
  }

  /**
   * A CNAME created in place of addresses has no "name unused" prerequisite (the addresses are
   * still there when prerequisites are checked); if the name holds other data too, the server
   * ignores the add silently but keeps its TXT. So it is looked up: null if it landed, else its
   * TXT is taken back and the reason answered.
   */
  private String replacedAndIgnored(Change c, List<Change> batch, TSIG key) {
    DnsRecordSet rec = recordOf(c);
    if (c.previous() != null || c.value() == null || !rec.type().equals("CNAME") || deletedAt(rec.name(), batch).isEmpty()) {
      return null;
    }
    Name n = name(rec.name());
    if (query(n, Type.CNAME, key).stream().map(DnsZoneClient::value).toList().equals(rec.values())) {
      return null;
    }
    TXTRecord txt = (TXTRecord) companion(rec);
    Update u = new Update(origin);
    u.present(new TXTRecord(txt.getName(), DClass.IN, 0, txt.getStrings()));
    u.delete(txt);
    Message response = send(u, key, "UPDATE removing the TXT of an ignored CNAME");
    if (response.getRcode() != Rcode.NOERROR && response.getRcode() != Rcode.NXRRSET) {
      throw failure(response, "UPDATE");
    }
    return conflict(c, key);
  }

  private Update update(List<Change> batch) {
    Update u = new Update(origin);
    for (Change c : batch) {
      DnsRecordSet rec = recordOf(c);
      Name n = name(rec.name());
      int type = Type.value(rec.type());
      List<String> previous = previousValues(c);
      List<Record> oldTxt = previousCompanions(c);
      // prerequisites: what this writer believes is there, or nothing; a record set of the other
      // kind that this message removes (with its own prerequisites) is no obstacle
      if (!previous.isEmpty()) {
        previous.forEach(v -> u.present(data(n, type, 0, v)));
      } else if (c.value() != null) {
        u.absent(n, type);
        Set<String> replaced = deletedAt(rec.name(), batch);
        if (type == Type.CNAME) {
          if (replaced.isEmpty()) {
            u.absent(n); // a CNAME owns its name alone; BIND would silently ignore the add otherwise
          }
        } else if (!replaced.contains("CNAME")) {
          u.absent(n, Type.CNAME);
        }
      }
      oldTxt.stream().filter(t -> !t.getName().equals(n))
          .forEach(t -> u.present(new TXTRecord(t.getName(), DClass.IN, 0, ((TXTRecord) t).getStrings())));
      if (oldTxt.isEmpty() && c.value() != null) {
        u.absent(name(DnsOwnership.companionName(rec.name(), rec.type(), dns.txtFormat())), Type.TXT);
      }
      // updates: the record set replaced as a whole, the ownership TXT replaced record by record
      // (a TXT at the record's own name may share its RRset with TXT records that are not ours);
      // deletes come first in the batch, so a replaced CNAME is gone before addresses are added
      if (!previous.isEmpty()) {
        u.delete(n, type);
      }
      DnsRecordSet next = (DnsRecordSet) c.value();
      Record newTxt = next == null ? null : companion(next);
      oldTxt.stream().filter(t -> !t.equals(newTxt)).forEach(u::delete);
      if (next != null) {
        next.values().forEach(v -> u.add(data(n, type, next.ttlSeconds(), v)));
        if (!oldTxt.contains(newTxt)) {
          u.add(newTxt);
        }
      }
    }
    return u;
  }

  /**
   * Why a change was refused, found with one query of the record set and its TXT; null if the zone
   * already holds what the change wanted.
   */
  private String conflict(Change c, TSIG key) {
    DnsRecordSet rec = recordOf(c);
    Name n = name(rec.name());
    List<Record> now = query(n, Type.value(rec.type()), key);
    DnsRecordSet next = (DnsRecordSet) c.value();
    List<String> values = now.stream().map(DnsZoneClient::value).sorted().distinct().toList();
    Name txtName = name(DnsOwnership.companionName(rec.name(), rec.type(), dns.txtFormat()));
    List<Record> txtNow = query(txtName, Type.TXT, key);
    boolean done = next == null
        ? values.isEmpty() && txtNow.stream().map(t -> DnsOwnership.parse(((TXTRecord) t).getStrings()))
            .noneMatch(claim -> claim != null && claim.owner().equals(ownerId))
        : values.equals(next.values()) && txtNow.contains(companion(next));
    if (done) {
      return null;
    }
    if (previousValues(c).isEmpty()) {
      if (!values.isEmpty()) {
        return rec.key() + " already exists in " + zone.name() + " (" + values + ") without this owner's TXT record ("
            + ownedBy(rec.name(), rec.type(), key) + "); left untouched";
      }
      String blocker = blocker(rec, txtNow, key);
      return rec.name() + " in " + zone.name() + " " + blocker
          + (blocker.contains(OWN) ? ", which this writer did not know of; retried after the next zone read" : "; left untouched");
    }
    return rec.key() + " changed in " + zone.name() + " since Tributary last read it (now " + values
        + "); left untouched until the next zone read";
  }

  /**
   * What keeps a create of {@code rec} (its own type absent) out: the record sets of the other kind
   * at the name (a CNAME, or addresses) with their owner, an ownership TXT left without its record
   * set, or other data at the name.
   */
  private String blocker(DnsRecordSet rec, List<Record> companionNow, TSIG key) {
    Name n = name(rec.name());
    List<String> others = rec.type().equals("CNAME") ? List.of("A", "AAAA") : List.of("CNAME");
    for (String type : others) {
      List<String> held = query(n, Type.value(type), key).stream().map(DnsZoneClient::value).sorted().toList();
      if (!held.isEmpty()) {
        return "holds " + (type.equals("CNAME") ? "a CNAME " : type + " records ") + held + " " + ownedBy(rec.name(), type, key);
      }
    }
    if (!companionNow.isEmpty()) {
      DnsOwnership.Claim claim = DnsOwnership.parse(((TXTRecord) companionNow.get(0)).getStrings());
      return "has an ownership TXT for " + rec.type() + " without its records (" + ownerText(claim) + ")";
    }
    return rec.type().equals("CNAME") ? "holds other records (a CNAME must be alone at its name)" : "holds other records";
  }

  /** Who claims the {@code type} record set at {@code name}, through an ownership TXT of either format. */
  private String ownedBy(String name, String type, TSIG key) {
    List<String> names = List.of(
        DnsOwnership.companionName(name, type, TxtFormat.TRIBUTARY),
        DnsOwnership.companionName(name, type, TxtFormat.EXTERNAL_DNS),
        name);
    for (String txtName : names) {
      for (Record r : query(name(txtName), Type.TXT, key)) {
        DnsOwnership.Claim claim = DnsOwnership.parse(((TXTRecord) r).getStrings());
        if (claim != null) {
          return ownerText(claim);
        }
      }
    }
    return ownerText(null);
  }

  private String ownerText(DnsOwnership.Claim claim) {
    if (claim == null) {
      return "created by someone else: no ownership TXT";
    }
    if (claim.owner().equals(ownerId) && claim.format() == dns.txtFormat()) {
      return OWN + " ('" + ownerId + "')";
    }
    return "owned by " + (claim.format() == TxtFormat.TRIBUTARY ? "Tributary" : "external-dns") + " owner '" + claim.owner() + "'";
  }

  private List<Record> query(Name n, int type, TSIG key) {
    Message response = send(Message.newQuery(Record.newRecord(n, type, DClass.IN)), key, "query of " + text(n));
    int rcode = response.getRcode();
    if (rcode == Rcode.NXDOMAIN) {
      return List.of();
    }
    if (rcode != Rcode.NOERROR) {
      throw failure(response, "query");
    }
    return response.getSection(Section.ANSWER).stream().filter(r -> r.getType() == type && r.getName().equals(n)).toList();
  }

  /** Sends {@code message}; answers only a response whose TSIG verified. */
  private Message send(Message message, TSIG key, String what) {
    Message response;
    try {
      SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(zone.host(), zone.port()));
      resolver.setTCP(true);
      resolver.setTimeout(dns.timeout());
      resolver.setTSIGKey(key);
      response = resolver.send(message);
    } catch (IOException e) {
      throw new TargetUnavailableException(what + " to " + zone + " failed: " + describe(e), e);
    }
    if (key != null && response.getRcode() == Rcode.NOERROR && !response.isVerified()) {
      throw new TargetConfigurationException(what + " to " + zone + ": the response's TSIG signature did not verify"
          + " (wrong key, or a server answering unsigned)");
    }
    return response;
  }

  private TargetUnavailableException unavailable(Message response, String what) {
    return new TargetUnavailableException(what + " to " + zone + " answered " + Rcode.string(response.getRcode()));
  }

  /** SERVFAIL is transient; NOTAUTH, REFUSED, NOTZONE and the rest need an operator. */
  private RuntimeException failure(Message response, String what) {
    int rcode = response.getRcode();
    if (rcode == Rcode.SERVFAIL) {
      return unavailable(response, what);
    }
    TSIGRecord t = response.getTSIG();
    String tsigError = t != null && t.getError() != Rcode.NOERROR ? " (TSIG " + Rcode.TSIGstring(t.getError()) + ")" : "";
    String hint = rcode == Rcode.NOTAUTH ? ": the server does not accept the TSIG key; check its name, algorithm and secret"
        : rcode == Rcode.REFUSED ? ": the server's update policy does not allow this key to change the zone"
        : rcode == Rcode.NOTZONE ? ": the server is not authoritative for the zone" : "";
    return new TargetConfigurationException(what + " to " + zone + " answered " + Rcode.string(rcode) + tsigError + hint);
  }

  private TSIG tsig() {
    if (zone.tsig() == null) {
      return null;
    }
    String secret;
    try {
      secret = zone.tsig().secret().read().orElseThrow();
    } catch (RuntimeException e) {
      throw new TargetConfigurationException("TSIG secret of zone " + zone.name() + ": " + e.getMessage());
    }
    Name algorithm = zone.tsig().algorithm().equals("hmac-sha512") ? TSIG.HMAC_SHA512 : TSIG.HMAC_SHA256;
    try {
      return new TSIG(algorithm, name(zone.tsig().name()), secret);
    } catch (IllegalArgumentException e) {
      // never the secret itself: only where it came from
      throw new TargetConfigurationException("TSIG secret of zone " + zone.name() + " from " + zone.tsig().secret()
          + " is not valid base64");
    }
  }

  // ---- records

  private void remember(Change c) {
    if (c.value() == null) {
      companions.remove(c.key());
    } else {
      companions.put(c.key(), List.of(companion((DnsRecordSet) c.value())));
    }
  }

  private static DnsRecordSet recordOf(Change c) {
    return (DnsRecordSet) (c.value() != null ? c.value() : c.previous());
  }

  private static List<String> previousValues(Change c) {
    return c.previous() == null ? List.of() : ((DnsRecordSet) c.previous()).values();
  }

  /** The ownership TXT records the change's previous state has in the zone. */
  private List<Record> previousCompanions(Change c) {
    if (c.previous() == null) {
      return List.of();
    }
    List<Record> known = companions.get(c.key());
    return known != null ? known : List.of(companion((DnsRecordSet) c.previous()));
  }

  private Record companion(DnsRecordSet r) {
    return new TXTRecord(name(DnsOwnership.companionName(r.name(), r.type(), dns.txtFormat())), DClass.IN, r.ttlSeconds(),
        DnsOwnership.companionText(r, dns.txtFormat()));
  }

  private static Record data(Name n, int type, long ttl, String value) {
    try {
      if (type == Type.CNAME) {
        return new CNAMERecord(n, DClass.IN, ttl, name(value));
      }
      InetAddress address = InetAddress.getByName(value); // a literal: no lookup
      return type == Type.A ? new ARecord(n, DClass.IN, ttl, address) : new AAAARecord(n, DClass.IN, ttl, address);
    } catch (IOException e) {
      throw new IllegalArgumentException("not an address: " + value, e);
    }
  }

  private static String value(Record r) {
    if (r instanceof ARecord a) {
      return a.getAddress().getHostAddress();
    }
    if (r instanceof AAAARecord a) {
      return Addresses.canonicalIpv6(a.getAddress().getHostAddress());
    }
    return text(((CNAMERecord) r).getTarget());
  }

  private static Name name(String s) {
    try {
      return Name.fromString(s.endsWith(".") ? s : s + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException("not a DNS name: " + s, e);
    }
  }

  private static String text(Name n) {
    return n.toString(true).toLowerCase(Locale.ROOT);
  }

  private static String describe(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
