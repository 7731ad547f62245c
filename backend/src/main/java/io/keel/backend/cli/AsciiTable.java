package io.keel.backend.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The bordered table etcdctl's {@code -w table} prints (olekukonko/tablewriter as etcdctl sets
 * it up): upper-case centred headers, right-aligned cells, one space of padding. Stateless;
 * thread-safe.
 */
final class AsciiTable {
    private AsciiTable() {
    }

    static String render(List<String> header, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = header.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        String rule = rule(widths);
        out.append(rule);
        List<String> upper = new ArrayList<>();
        header.forEach(h -> upper.add(h.toUpperCase(Locale.ROOT)));
        line(out, upper, widths, true);
        out.append(rule);
        for (List<String> row : rows) {
            line(out, row, widths, false);
        }
        out.append(rule);
        return out.toString();
    }

    private static String rule(int[] widths) {
        StringBuilder b = new StringBuilder("+");
        for (int w : widths) {
            b.append("-".repeat(w + 2)).append('+');
        }
        return b.append('\n').toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths, boolean centre) {
        out.append('|');
        for (int c = 0; c < widths.length; c++) {
            String cell = cells.get(c);
            int gap = widths[c] - cell.length();
            int left = centre ? gap / 2 : gap;
            out.append(' ').append(" ".repeat(left)).append(cell).append(" ".repeat(gap - left)).append(" |");
        }
        out.append('\n');
    }
}
