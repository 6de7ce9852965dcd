package io.github.dl4jdropout.examples.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Minimal CSV output for the examples' measurements (numbers and simple labels only, nothing to quote). */
public final class Csv {

    private Csv() {
    }

    /**
     * Joins cells with commas; doubles are written with up to 6 significant digits, locale-independent.
     *
     * @param cells the cells
     * @return one CSV line
     */
    public static String line(Object... cells) {
        return Stream.of(cells)
                .map(c -> c instanceof Double d ? String.format(Locale.ROOT, "%.6g", d) : String.valueOf(c))
                .collect(Collectors.joining(","));
    }

    /**
     * Writes lines to a file, creating its folder.
     *
     * @param file  target
     * @param lines content
     * @return {@code file}
     * @throws UncheckedIOException if it cannot be written
     */
    public static Path write(Path file, List<String> lines) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }
}
