package io.github.dl4jdropout.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The examples and notebooks use only the library's public API, never its {@code internal} package. */
class PublicApiOnlyTest {

    @Test
    void noSourceOrNotebookMentionsTheInternalPackage() throws IOException {
        // Maven runs tests with the module directory as working directory.
        List<Path> files;
        try (Stream<Path> sources = Files.walk(Path.of("src", "main", "java"));
             Stream<Path> notebooks = Files.walk(Path.of("notebooks"))) {
            files = Stream.concat(sources, notebooks)
                    .filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".jsh")).toList();
        }
        assertThat(files).hasSizeGreaterThan(5);
        for (Path f : files) {
            assertThat(Files.readString(f)).as(f.toString()).doesNotContain("io.github.dl4jdropout.internal");
        }
    }
}
