package io.github.dl4jdropout.examples.support;

import java.util.function.DoublePredicate;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Moves one-dimensional data between Java arrays and ND4J, and averages parts of it, for tables and plots. */
public final class Vectors {

    private Vectors() {
    }

    /**
     * @param a an array of any shape, typically {@code [n]} or {@code [n, 1]}
     * @return its values in row-major order, as doubles
     */
    public static double[] values(INDArray a) {
        return a.castTo(DataType.DOUBLE).reshape(a.length()).toDoubleVector();
    }

    /**
     * @param v values
     * @return them as an {@code [n, 1]} float column: the input (or label) shape of a network with one input
     */
    public static INDArray column(double[] v) {
        return Nd4j.create(v, new long[] {v.length, 1}).castTo(DataType.FLOAT);
    }

    /**
     * @param x     positions
     * @param v     a value per position
     * @param where which positions count
     * @return the mean of {@code v} where {@code x} passes {@code where}, NaN where none does
     */
    public static double meanWhere(double[] x, double[] v, DoublePredicate where) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (where.test(x[i])) {
                sum += v[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
