package io.github.dl4jdropout.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jdropout.examples.support.CommandLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code ./run-example --help} (and {@code ./run-example NAME --help}) print the files in {@code usage/} without
 * building, so those files must say what the code says. This test compares them with {@link Examples#usage()} and
 * each example's {@link CommandLine#help()}; with {@code -Dusage.write=true} it rewrites them instead:
 * <pre>
 * mvn -B -o -pl dl4j-dropout-examples -am test -Dtest=UsageFilesTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dusage.write=true
 * </pre>
 */
class UsageFilesTest {

    /** Maven runs tests with the module directory as working directory. */
    private static final Path USAGE = Path.of("usage");

    private static final String REGENERATE = "usage files are out of date; regenerate them with: mvn -B -o -pl"
            + " dl4j-dropout-examples -am test -Dtest=UsageFilesTest -Dsurefire.failIfNoSpecifiedTests=false"
            + " -Dusage.write=true";

    @Test
    void usageFilesSayWhatTheCodeSays() throws IOException {
        Map<Path, String> expected = new LinkedHashMap<>();
        expected.put(USAGE.resolve("run-example.txt"), Examples.usage());
        for (CommandLine<?> c : Examples.commandLines()) {
            expected.put(USAGE.resolve("examples").resolve(c.name() + ".txt"), c.help());
        }
        if (Boolean.getBoolean("usage.write")) {
            try (Stream<Path> old = Files.list(Files.createDirectories(USAGE.resolve("examples")))) {
                for (Path p : old.toList()) {
                    Files.delete(p); // an example that was renamed or removed must not stay runnable by name
                }
            }
            for (Map.Entry<Path, String> e : expected.entrySet()) {
                Files.writeString(e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<Path, String> e : expected.entrySet()) {
            assertThat(e.getKey()).as(REGENERATE).exists();
            assertThat(Files.readString(e.getKey())).as(e.getKey() + ": " + REGENERATE).isEqualTo(e.getValue());
        }
        try (Stream<Path> files = Files.list(USAGE.resolve("examples"))) {
            // run-example treats every file there as an example's name
            assertThat(files.map(p -> p.getFileName().toString().replaceFirst("\\.txt$", "")))
                    .as(REGENERATE).containsExactlyInAnyOrderElementsOf(Examples.names());
        }
    }

    @Test
    void everyExampleHelpIsPartOfTheOverview() {
        for (CommandLine<?> c : Examples.commandLines()) {
            assertThat(Examples.usage()).contains(c.help());
        }
    }
}
