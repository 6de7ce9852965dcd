package io.github.dl4jdropout.keras;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jdropout.audit.DropoutAudit;
import io.github.dl4jdropout.montecarlo.McPrediction;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The code of {@code docs/keras-import.md}, compiled and run here: the page's snippet follows a
 * {@code <!-- keras-snippet: name -->} line (not dl4j-dropout-ext's {@code snippet:} marker, whose test knows only its
 * own pages' snippets), and must equal the code between {@code // tag::name[]} and {@code // end::name[]} below.
 */
class KerasDocSnippetTest {

    private static final Path PAGE = Path.of(System.getProperty("user.dir")).resolveSibling("docs")
            .resolve("keras-import.md");
    private static final Path THIS_FILE = Path.of(System.getProperty("user.dir"),
            "src/test/java/io/github/dl4jdropout/keras/KerasDocSnippetTest.java");

    @Test
    void kerasImport() throws Exception {
        String h5Path = KerasFiles.path(KerasFiles.ISSUE_9349);
        INDArray features = ImportParityTest.input(KerasFiles.ISSUE_9349);
        // tag::keras-import[]
        KerasDropoutImport.Result<ComputationGraph> imported = KerasDropoutImport.importFunctionalWithReport(h5Path);
        imported.mappings().forEach(System.out::println);   // layer dropout: Keras Dropout(rate=0.2584) -> ...
        ComputationGraph graph = imported.model();
        DropoutAudit.of(graph).requireNoErrors();
        McPrediction prediction = MonteCarloEvaluator.builder(graph).samples(50).build().predict(features);
        INDArray uncertainty = prediction.mutualInformation();
        // end::keras-import[]
        assertThat(uncertainty.length()).isEqualTo(features.size(0));
        assertThat(uncertainty.sumNumber().doubleValue()).isPositive();
        assertThat(imported.report()).contains("layer dropout: Keras Dropout(rate=0.2584) ->"
                + " Dropouts.standard(0.2584); DL4J's import would have disabled it (Dropout(p=1.0): it reads the"
                + " field dropout, not rate)");
    }

    @Test
    void thePageShowsExactlyTheCodeCompiledHere() throws IOException {
        String page = Files.readString(PAGE);
        Matcher documented = Pattern.compile("<!-- keras-snippet: ([\\w-]+) -->\\s*```java\\n(.*?)```",
                Pattern.DOTALL).matcher(page);
        String source = Files.readString(THIS_FILE);
        int found = 0;
        while (documented.find()) {
            found++;
            Matcher compiled = Pattern.compile("// tag::" + documented.group(1) + "\\[\\]\\n(.*?)\\n\\s*// end::"
                    + documented.group(1) + "\\[\\]", Pattern.DOTALL).matcher(source);
            assertThat(compiled.find()).as("tag %s in this test", documented.group(1)).isTrue();
            assertThat(normalize(documented.group(2))).as("snippet %s", documented.group(1))
                    .isEqualTo(normalize(compiled.group(1)));
        }
        assertThat(found).isEqualTo(1);
        // The page's report line is the one the import prints (checked above on the same file).
        assertThat(page).contains("`layer dropout: Keras Dropout(rate=0.2584) -> Dropouts.standard(0.2584); DL4J's"
                + " import would\nhave disabled it (Dropout(p=1.0): it reads the field dropout, not rate)`");
    }

    private static String normalize(String code) {
        List<String> lines = new ArrayList<>(List.of(code.stripTrailing().split("\n", -1)));
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent).stripTrailing())
                .collect(Collectors.joining("\n"));
    }
}
