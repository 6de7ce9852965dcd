package io.github.dl4jdropout.examples.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A plain-text table for the console and for Markdown (results.md), with right-aligned numbers. */
public final class Table {

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    /** @param header column titles */
    public Table(String... header) {
        this.header = List.of(header);
    }

    /**
     * Adds a row; numbers should already be formatted (see {@link #pct}, {@link #sec} and {@link #num}).
     *
     * @param cells one cell per column
     * @return this table
     * @throws IllegalArgumentException if the number of cells differs from the number of columns
     */
    public Table row(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + header.size()
                    + " columns " + header);
        }
        List<String> r = new ArrayList<>();
        for (Object c : cells) {
            r.add(String.valueOf(c));
        }
        rows.add(r);
        return this;
    }

    /** @param fraction a fraction such as an error rate @return it in percent with two decimals, e.g. {@code 2.31%} */
    public static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
    }

    /** @param seconds a duration @return it with one decimal, e.g. {@code 3.4 s} */
    public static String sec(double seconds) {
        return String.format(Locale.ROOT, "%.1f s", seconds);
    }

    /**
     * @param value    a number such as a loss in nats
     * @param decimals digits after the point
     * @return it with that many decimals and a point whatever the locale, e.g. {@code 0.162}
     */
    public static String num(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** @return the table as Markdown, which also reads well as plain text */
    @Override
    public String toString() {
        int[] width = new int[header.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = Math.max(3, header.get(c).length());
            for (List<String> r : rows) {
                width[c] = Math.max(width[c], r.get(c).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, header, width, false);
        sb.append('|');
        for (int c = 0; c < width.length; c++) {
            // first column (labels) left-aligned, the numbers right-aligned
            sb.append(c == 0 ? " :" + "-".repeat(width[c] - 1) + " |" : " " + "-".repeat(width[c] - 1) + ": |");
        }
        sb.append('\n');
        for (List<String> r : rows) {
            line(sb, r, width, true);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] width, boolean alignRight) {
        sb.append('|');
        for (int c = 0; c < width.length; c++) {
            String cell = cells.get(c);
            boolean right = alignRight && c > 0;
            String pad = " ".repeat(width[c] - cell.length());
            sb.append(' ').append(right ? pad + cell : cell + pad).append(" |");
        }
        sb.append('\n');
    }
}
