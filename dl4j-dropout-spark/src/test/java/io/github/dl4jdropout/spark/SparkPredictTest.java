package io.github.dl4jdropout.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.github.dl4jdropout.montecarlo.McPrediction;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** Per-row Monte Carlo predictions on a DataFrame: columns, partition independence, equality with predict. */
class SparkPredictTest {

    private static final int SAMPLES = 10;
    private static final int ROWS = 23;
    private static final int BLOCK = 5;

    private static SparkSession spark;
    private static MultiLayerNetwork net;
    private static INDArray features;
    private static Dataset<Row> rows;

    @BeforeAll
    static void setUp() {
        spark = TestData.spark();
        net = TestData.classifier();
        DataSet data = TestData.classification(ROWS, 31);
        features = data.getFeatures();
        List<Row> list = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            // Keys 100 .. 122: blocks are floorDiv(key, 5), so the first block holds keys 100 .. 104.
            list.add(RowFactory.create(100L + i, "row " + i, features.getRow(i).toDoubleVector()));
        }
        StructType schema = new StructType().add("id", DataTypes.LongType, false)
                .add("name", DataTypes.StringType, false)
                .add("features", DataTypes.createArrayType(DataTypes.DoubleType, false), false);
        rows = spark.createDataFrame(list, schema);
    }

    private static SparkMonteCarlo spark() {
        return SparkMonteCarlo.builder(net).samples(SAMPLES).seed(3).blockSize(BLOCK).build();
    }

    private static List<Row> sortedById(Dataset<Row> df) {
        List<Row> out = new ArrayList<>(df.collectAsList());
        out.sort(Comparator.comparingLong(r -> r.getLong(0)));
        return out;
    }

    @Test
    void addsThePredictionColumnsAndKeepsEveryOtherColumn() {
        try (SparkMonteCarlo mc = spark()) {
            Dataset<Row> scored = mc.predict(rows, "features", "id");
            assertThat(scored.columns()).containsExactly("id", "name", "features", "mc_mean", "mc_variance",
                    "predictive_entropy", "mutual_information");
            assertThat(scored.schema().apply("mc_mean").dataType().simpleString()).isEqualTo("array<double>");
            assertThat(scored.schema().apply("predictive_entropy").dataType()).isEqualTo(DataTypes.DoubleType);
            List<Row> out = sortedById(scored);
            assertThat(out).hasSize(ROWS);
            // Rows 0 .. 4 (keys 100 .. 104) form block 20; their numbers are those of predict on that block.
            McPrediction block = MonteCarloEvaluator.builder(net).samples(SAMPLES).seed(3).build()
                    .predict(features.getRows(0, 1, 2, 3, 4).dup());
            for (int i = 0; i < BLOCK; i++) {
                Row r = out.get(i);
                assertThat(r.getString(1)).isEqualTo("row " + i);
                assertThat(r.<Double>getList(2)).hasSize(TestData.N_IN);
                // Exactly: the same doubles, copied into the row.
                assertThat(toArray(r.getList(3))).containsExactly(block.mean().getRow(i).toDoubleVector());
                assertThat(toArray(r.getList(4))).containsExactly(block.variance().getRow(i).toDoubleVector());
                assertThat(r.getDouble(5)).isEqualTo(block.predictiveEntropy().getDouble(i));
                assertThat(r.getDouble(6)).isEqualTo(block.mutualInformation().getDouble(i));
                // The mean is a distribution over the classes; 1e-12 is float64 rounding of a 3-term sum.
                assertThat(java.util.Arrays.stream(toArray(r.getList(3))).sum()).isCloseTo(1.0, within(1e-12));
            }
            assertThat(out.get(0).getDouble(6)).isGreaterThan(0.0);
        }
    }

    @Test
    void rowsGetTheSameNumbersFor1_3And7Partitions() {
        try (SparkMonteCarlo mc = spark()) {
            List<Row> one = sortedById(mc.predict(rows.repartition(1), "features", "id"));
            for (int partitions : new int[] {3, 7}) {
                List<Row> other = sortedById(mc.predict(rows.repartition(partitions), "features", "id"));
                // Row equality compares every column, arrays element by element, exactly.
                assertThat(other).as("%d partitions", partitions).isEqualTo(one);
            }
        }
    }

    @Test
    void floatFeaturesAndIntKeysAreAccepted() {
        Dataset<Row> floats = rows.selectExpr("cast(id as int) as id", "cast(features as array<float>) as x");
        try (SparkMonteCarlo mc = spark()) {
            List<Row> out = sortedById(mc.predict(floats, "x", "id").selectExpr("cast(id as bigint)", "mc_mean"));
            assertThat(out).hasSize(ROWS);
            assertThat(out.get(0).<Double>getList(1)).hasSize(TestData.N_OUT);
        }
    }

    @Test
    void badColumnsAreRefusedBeforeAnyJob() {
        try (SparkMonteCarlo mc = spark()) {
            assertThatThrownBy(() -> mc.predict(rows, "pixels", "id")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("featuresColumn must name a column of array<double> or array<float>, got \"pixels\";"
                            + " the columns are [id, name, features]");
            assertThatThrownBy(() -> mc.predict(rows, "name", "id")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("featuresColumn \"name\" must be array<double> or array<float>")
                    .hasMessageEndingWith("got string");
            assertThatThrownBy(() -> mc.predict(rows, "features", "name"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("keyColumn \"name\" must be bigint or int (a unique, stable row key), got string");
            assertThatThrownBy(() -> mc.predict(rows, "features", null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("keyColumn must name a column of a unique long or int key, got null");
            Dataset<Row> scored = mc.predict(rows, "features", "id");
            assertThatThrownBy(() -> mc.predict(scored, "features", "id"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("rows must not have a column named \"mc_mean\"");
            assertThatThrownBy(() -> mc.predict(null, "features", "id")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("rows");
        }
    }

    private static double[] toArray(List<Object> values) {
        return values.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    }

}
