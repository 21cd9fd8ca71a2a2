package io.tributary.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code tributary bench} measured: sections of rows, each figure beside its baseline from the
 * same run, rendered as Markdown or JSON, and written into its marked section of
 * docs/benchmarks.md.
 */
record BenchReport(Map<String, String> machine, String command, String date, String took, List<Section> sections) {

  /** The start and end markers of the section {@code --write-docs} replaces. */
  static final String BEGIN = "<!-- tributary bench: begin (written by `tributary bench --write-docs`; edit outside it) -->";
  static final String END = "<!-- tributary bench: end -->";

  /** One measurement: the figure, its baseline of the same run, how they compare, the goal and whether it is met (null: no goal). */
  record Row(String measure, String figure, String baseline, String comparison, String goal, Boolean met) {}

  /** A table of rows, with what its baseline is, a note under it, and a figure of it (null: none). */
  record Section(String title, String baselineIs, String note, List<Row> rows, Figure figure) {
    Section(String title, String baselineIs, String note, List<Row> rows) {
      this(title, baselineIs, note, rows, null);
    }
  }

  /**
   * A section's figures as grouped bars, drawn as SVG into {@code file} beside the docs page:
   * {@code values[series][group]}, each bar labelled with {@code texts[series][group]}.
   */
  record Figure(String file, String title, String unit, List<String> groups, List<String> series, double[][] values,
      String[][] texts) {
    String svg() {
      return io.tributary.report.SvgCharts.groupedBars(file.replace(".svg", ""), title, groups, series, values, texts, unit);
    }
  }

  /** The Markdown section: a heading, the machine, the command, the date, then one table per section. */
  String markdown() {
    var out = new StringBuilder();
    out.append("## `tributary bench` (").append(date).append(")\n\n");
    out.append("Machine: ").append(String.join(", ", machine.values())).append(".  \n");
    out.append("Command: `").append(command).append("` (").append(took).append(" wall).\n");
    for (Section s : sections) {
      out.append("\n### ").append(s.title()).append("\n\n");
      out.append("| measure | figure | baseline (").append(s.baselineIs()).append(") | comparison | goal |\n");
      out.append("|---|---|---|---|---|\n");
      for (Row r : s.rows()) {
        out.append("| ").append(r.measure()).append(" | ").append(r.figure()).append(" | ").append(r.baseline())
            .append(" | ").append(r.comparison()).append(" | ").append(goal(r)).append(" |\n");
      }
      if (!s.note().isEmpty()) {
        out.append("\n").append(s.note()).append("\n");
      }
      if (s.figure() != null) {
        out.append("\n![").append(s.figure().title()).append("](").append(s.figure().file()).append(")\n");
      }
    }
    return out.toString();
  }

  private static String goal(Row r) {
    if (r.goal().isEmpty()) {
      return "";
    }
    return r.goal() + (r.met() == null ? "" : r.met() ? " — met" : " — **not met**");
  }

  /** The same as one JSON document. */
  String json() {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.set("machine", mapper.valueToTree(machine));
    root.put("command", command);
    root.put("date", date);
    root.put("took", took);
    var sections = root.putArray("sections");
    for (Section s : this.sections) {
      ObjectNode node = sections.addObject();
      node.put("title", s.title());
      node.put("baseline", s.baselineIs());
      node.put("note", s.note());
      var rows = node.putArray("rows");
      for (Row r : s.rows()) {
        ObjectNode row = rows.addObject();
        row.put("measure", r.measure());
        row.put("figure", r.figure());
        row.put("baseline", r.baseline());
        row.put("comparison", r.comparison());
        row.put("goal", r.goal());
        if (r.met() == null) {
          row.putNull("met");
        } else {
          row.put("met", r.met());
        }
      }
    }
    try {
      return mapper.writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Replaces the marked section of {@code docs} with this report (the rest, the history, stays as
   * it is); without markers the section goes before the first {@code ## } heading.
   */
  void writeInto(Path docs) throws IOException {
    String text = Files.readString(docs);
    String section = BEGIN + "\n\n" + markdown() + "\n" + END;
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    String updated;
    if (begin >= 0 && end > begin) {
      updated = text.substring(0, begin) + section + text.substring(end + END.length());
    } else {
      int first = text.indexOf("\n## ");
      int at = first < 0 ? text.length() : first + 1;
      updated = text.substring(0, at) + section + "\n\n" + text.substring(at);
    }
    Files.writeString(docs, updated);
    Path dir = docs.toAbsolutePath().getParent();
    for (Section s : sections) {
      if (s.figure() != null) {
        Files.writeString(dir.resolve(s.figure().file()), s.figure().svg());
      }
    }
  }

  /** Rows under construction. */
  static final class Rows {
    private final List<Row> rows = new ArrayList<>();

    Rows add(String measure, String figure, String baseline, String comparison, String goal, Boolean met) {
      rows.add(new Row(measure, figure, baseline, comparison, goal, met));
      return this;
    }

    List<Row> list() {
      return List.copyOf(rows);
    }
  }
}
