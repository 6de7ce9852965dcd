package io.github.dl4jdropout.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.dl4jdropout.montecarlo.McReport;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The code of docs/spark.md, compiled and run here: each snippet there follows a {@code <!-- spark-snippet: name -->}
 * line, and the same code stands between {@code // tag::name[]} and {@code // end::name[]} below (the library's
 * DocSnippetsTest cannot compile Spark code, so this module checks its own page).
 */
class SparkDocSnippetsTest {

    private static final Path PAGE = Path.of(System.getProperty("user.dir")).resolveSibling("docs")
            .resolve("spark.md");
    private static final Path THIS_FILE = Path.of(System.getProperty("user.dir"),
            "src/test/java/io/github/dl4jdropout/spark/SparkDocSnippetsTest.java");

    @Test
    void evaluateAndPredictAsDocumented() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(TestData.spark().sparkContext());
        MultiLayerNetwork net = TestData.classifier();
        DataSet data = TestData.classification(12, 3);
        JavaRDD<DataSet> minibatches = sc.parallelize(TestData.minibatches(data, 4), 2);
        List<Row> list = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            list.add(RowFactory.create((long) i, data.getFeatures().getRow(i).toDoubleVector()));
        }
        Dataset<Row> rows = TestData.spark().createDataFrame(list, new StructType()
                .add("id", DataTypes.LongType).add("features", DataTypes.createArrayType(DataTypes.DoubleType)));
        McReport report;
        Dataset<Row> scored;
        // tag::evaluate[]
        try (SparkMonteCarlo mc = SparkMonteCarlo.builder(net).samples(50).seed(42).build()) {
            report = mc.evaluate(minibatches);                    // JavaRDD<DataSet> of minibatches
            System.out.println(report);                           // the single-machine McReport
            scored = mc.predict(rows, "features", "id");          // adds mc_mean, mc_variance, ...
            scored.select("id", "mc_mean", "mutual_information").show(3, false);
        }
        // end::evaluate[]
        assertThat(report.mc().count()).isEqualTo(12);
        // predict's DataFrame is lazy: computing it again after close() sends the model again.
        assertThat(scored.count()).isEqualTo(12);
    }

    @Test
    void pageShowsExactlyTheCodeCompiledHere() throws IOException {
        Map<String, String> compiled = regions(Pattern.compile(
                "// tag::([\\w-]+)\\[\\]\\n(.*?)\\n\\s*// end::\\1\\[\\]", Pattern.DOTALL), Files.readString(THIS_FILE));
        Map<String, String> documented = regions(Pattern.compile(
                "<!-- spark-snippet: ([\\w-]+) -->\\s*```java\\n(.*?)```", Pattern.DOTALL), Files.readString(PAGE));
        assertThat(documented).containsOnlyKeys("evaluate");
        assertThat(documented).isEqualTo(compiled);
    }

    private static Map<String, String> regions(Pattern p, String text) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            out.put(m.group(1), normalize(m.group(2)));
        }
        return out;
    }

    /** Removes the common indentation and trailing blanks, so only the code itself is compared. */
    private static String normalize(String code) {
        List<String> lines = new ArrayList<>(List.of(code.stripTrailing().split("\n", -1)));
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent).stripTrailing())
                .collect(Collectors.joining("\n"));
    }
}
