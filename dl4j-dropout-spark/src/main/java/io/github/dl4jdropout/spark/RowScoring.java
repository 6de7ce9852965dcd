package io.github.dl4jdropout.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import io.github.dl4jdropout.montecarlo.McPrediction;
import io.github.dl4jdropout.montecarlo.McTask;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How {@link SparkMonteCarlo#predict} reads the rows of a DataFrame and writes its prediction columns: the column
 * checks (on the driver, before any job), the block key of a row, and the scoring of one block.
 */
final class RowScoring implements Serializable {

    private static final long serialVersionUID = 1L;

    private final StructType input;
    private final int featuresIndex;
    private final int keyIndex;
    private final String featuresColumn;
    private final String keyColumn;
    private final McTask task;

    private RowScoring(StructType input, int featuresIndex, int keyIndex, String featuresColumn, String keyColumn,
            McTask task) {
        this.input = input;
        this.featuresIndex = featuresIndex;
        this.keyIndex = keyIndex;
        this.featuresColumn = featuresColumn;
        this.keyColumn = keyColumn;
        this.task = task;
    }

    /** Checks the columns of {@code schema}. */
    static RowScoring of(StructType schema, String featuresColumn, String keyColumn, McTask task) {
        List<String> names = Arrays.asList(schema.fieldNames());
        int f = column(schema, names, "featuresColumn", featuresColumn, "array<double> or array<float>");
        DataType ft = schema.fields()[f].dataType();
        if (!(ft instanceof ArrayType) || !(((ArrayType) ft).elementType() == DataTypes.DoubleType
                || ((ArrayType) ft).elementType() == DataTypes.FloatType)) {
            throw new IllegalArgumentException("featuresColumn \"" + featuresColumn + "\" must be array<double> or"
                    + " array<float> (for a Spark ML vector use org.apache.spark.ml.functions.vector_to_array), got "
                    + ft.simpleString());
        }
        int k = column(schema, names, "keyColumn", keyColumn, "a unique long or int key");
        DataType kt = schema.fields()[k].dataType();
        if (kt != DataTypes.LongType && kt != DataTypes.IntegerType) {
            throw new IllegalArgumentException("keyColumn \"" + keyColumn + "\" must be bigint or int (a unique,"
                    + " stable row key), got " + kt.simpleString());
        }
        for (String out : outputColumns(task)) {
            if (names.contains(out)) {
                throw new IllegalArgumentException("rows must not have a column named \"" + out + "\" (an output"
                        + " column of predict), got columns " + names);
            }
        }
        return new RowScoring(schema, f, k, featuresColumn, keyColumn, task);
    }

    private static int column(StructType schema, List<String> names, String parameter, String name,
            String expected) {
        if (name == null) {
            throw new IllegalArgumentException(parameter + " must name a column of " + expected + ", got null");
        }
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException(parameter + " must name a column of " + expected + ", got \"" + name
                    + "\"; the columns are " + names);
        }
        return i;
    }

    private static List<String> outputColumns(McTask task) {
        return task == McTask.REGRESSION
                ? List.of(SparkMonteCarlo.MEAN_COLUMN, SparkMonteCarlo.VARIANCE_COLUMN)
                : List.of(SparkMonteCarlo.MEAN_COLUMN, SparkMonteCarlo.VARIANCE_COLUMN,
                        SparkMonteCarlo.ENTROPY_COLUMN, SparkMonteCarlo.MUTUAL_INFORMATION_COLUMN);
    }

    /** The input columns followed by the prediction columns. */
    StructType outputSchema() {
        DataType vector = DataTypes.createArrayType(DataTypes.DoubleType, false);
        StructType out = input.add(new StructField(SparkMonteCarlo.MEAN_COLUMN, vector, false, Metadata.empty()))
                .add(new StructField(SparkMonteCarlo.VARIANCE_COLUMN, vector, false, Metadata.empty()));
        if (task != McTask.REGRESSION) {
            DataType perExample = task == McTask.MULTI_LABEL ? vector : DataTypes.DoubleType;
            out = out.add(new StructField(SparkMonteCarlo.ENTROPY_COLUMN, perExample, false, Metadata.empty()))
                    .add(new StructField(SparkMonteCarlo.MUTUAL_INFORMATION_COLUMN, perExample, false, Metadata.empty()));
        }
        return out;
    }

    long key(Row row) {
        if (row.isNullAt(keyIndex)) {
            throw new IllegalArgumentException("keyColumn \"" + keyColumn + "\" must not be null, got a null key in"
                    + " row " + row);
        }
        return ((Number) row.get(keyIndex)).longValue();
    }

    /** Scores one block: its rows in key order as one minibatch. */
    List<Row> score(MonteCarloEvaluator mc, org.nd4j.linalg.api.buffer.DataType modelType, Iterable<Row> block) {
        List<Row> rows = new ArrayList<>();
        block.forEach(rows::add);
        rows.sort(Comparator.comparingLong(this::key));
        int n = rows.size();
        int width = -1;
        double[] values = null;
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            if (i > 0 && key(r) == key(rows.get(i - 1))) {
                throw new IllegalArgumentException("keyColumn \"" + keyColumn + "\" must be unique, got key "
                        + key(r) + " twice");
            }
            if (r.isNullAt(featuresIndex)) {
                throw new IllegalArgumentException("featuresColumn \"" + featuresColumn + "\" must not be null, got"
                        + " null for key " + key(r));
            }
            List<Object> f = r.getList(featuresIndex);
            if (width < 0) {
                width = f.size();
                values = new double[n * width];
            } else if (f.size() != width) {
                throw new IllegalArgumentException("featuresColumn \"" + featuresColumn + "\" must hold arrays of"
                        + " one length, got " + width + " and " + f.size() + " (key " + key(r) + ")");
            }
            for (int j = 0; j < width; j++) {
                Object v = f.get(j);
                if (v == null) {
                    throw new IllegalArgumentException("featuresColumn \"" + featuresColumn + "\" must not hold"
                            + " null elements, got one at index " + j + " for key " + key(r));
                }
                values[i * width + j] = ((Number) v).doubleValue();
            }
        }
        if (width == 0) {
            throw new IllegalArgumentException("featuresColumn \"" + featuresColumn + "\" must hold non-empty"
                    + " arrays, got empty ones");
        }
        INDArray features = Nd4j.create(values, new long[] {n, width}, 'c').castTo(modelType);
        McPrediction p = mc.predict(features);
        if (p.mean().rank() != 2) {
            throw new IllegalStateException("predict needs a model output of one vector per example (rank 2), got"
                    + " shape " + Arrays.toString(p.mean().shape()));
        }
        double[][] mean = p.mean().toDoubleMatrix();
        double[][] variance = p.variance().toDoubleMatrix();
        double[][] entropy = null;
        double[][] mi = null;
        if (task != McTask.REGRESSION) {
            entropy = p.predictiveEntropy().reshape(n, -1).toDoubleMatrix();
            mi = p.mutualInformation().reshape(n, -1).toDoubleMatrix();
        }
        List<Row> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            int extra = task == McTask.REGRESSION ? 2 : 4;
            Object[] cells = new Object[r.length() + extra];
            for (int c = 0; c < r.length(); c++) {
                cells[c] = r.get(c);
            }
            cells[r.length()] = mean[i];
            cells[r.length() + 1] = variance[i];
            if (task != McTask.REGRESSION) {
                boolean perLabel = task == McTask.MULTI_LABEL;
                cells[r.length() + 2] = perLabel ? entropy[i] : (Object) entropy[i][0];
                cells[r.length() + 3] = perLabel ? mi[i] : (Object) mi[i][0];
            }
            out.add(RowFactory.create(cells));
        }
        return out;
    }
}
