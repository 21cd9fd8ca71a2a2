package io.tributary.writer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tributary.target.Change;
import io.tributary.target.Target;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * One target operation as a line of the write transcript: {@code
 * {"at":"…","target":"consul","op":"create","key":"…","value":{…}}}, map keys sorted so the same
 * operation is always the same bytes. A dry run's line (a change computed, never written) carries
 * {@code "dryRun":true} as well; a replay's never does.
 */
public final class TranscriptLine {
  private static final ObjectMapper CANONICAL =
      new ObjectMapper()
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private TranscriptLine() {}

  /** The line of {@code change} to {@code target} at {@code at}, without a line break. */
  public static String of(Instant at, Target target, Change change, boolean dryRun) {
    var line = CANONICAL.createObjectNode();
    line.put("at", DateTimeFormatter.ISO_INSTANT.format(at));
    line.put("target", target.id());
    line.put("op", change.op().id());
    line.put("key", change.key());
    if (change.value() != null) {
      line.set("value", CANONICAL.valueToTree(change.value()));
    }
    if (dryRun) {
      line.put("dryRun", true);
    }
    try {
      return CANONICAL.writeValueAsString(line);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + change.key(), e);
    }
  }
}
