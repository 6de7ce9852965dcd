package io.github.dl4jdropout.examples.regression;

import io.github.dl4jdropout.examples.support.Csv;
import io.github.dl4jdropout.examples.support.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoublePredicate;
import java.util.stream.IntStream;
import org.nd4j.linalg.dataset.DataSet;

/**
 * One-dimensional data points.
 *
 * @param x inputs
 * @param y targets, as many as {@code x}
 */
public record Points(double[] x, double[] y) {

    /** Checks the lengths. */
    public Points {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y must have equal lengths, got " + x.length + " and "
                    + y.length);
        }
    }

    /** @return the number of points */
    public int size() {
        return x.length;
    }

    /** @return the points as a DL4J DataSet, features and labels {@code [n, 1]} */
    public DataSet toDataSet() {
        return new DataSet(Vectors.column(x), Vectors.column(y));
    }

    /** @param keep which inputs to keep @return the points whose x passes {@code keep} */
    public Points filter(DoublePredicate keep) {
        int[] idx = IntStream.range(0, x.length).filter(i -> keep.test(x[i])).toArray();
        return new Points(IntStream.of(idx).mapToDouble(i -> x[i]).toArray(),
                IntStream.of(idx).mapToDouble(i -> y[i]).toArray());
    }

    /** @return CSV lines {@code x,y}, header first */
    public List<String> csv() {
        List<String> lines = new ArrayList<>();
        lines.add("x,y");
        for (int i = 0; i < x.length; i++) {
            lines.add(Csv.line(x[i], y[i]));
        }
        return lines;
    }
}
